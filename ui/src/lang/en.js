// The staff interface in English, keyed by its Chinese text (see i18n.js).
// {name} marks a value filled in. A text missing here stays Chinese; the
// browser test that walks every page in English finds it.
export const en = {
  // the shell and its menu
  督办: 'Notices', 工作台: 'Workbench', 受理: 'Intake', 案件查询: 'Cases', 统计: 'Dashboard', 码上评: 'QR ratings',
  知识库: 'Knowledge base', 时限规则: 'Time limits', 工作日历: 'Calendar', 用户管理: 'Users', 基础数据: 'Reference data',
  审计: 'Audit', 案件详情: 'Case', 退出: 'Sign out', 菜单: 'Menu',
  // signing in
  '督办 · 诉求办理与督查督办': 'duban · case handling and supervision', 用户名: 'Username', 密码: 'Password',
  登录: 'Sign in', 请输入用户名: 'Enter your username', 请输入密码: 'Enter your password',
  用户名或密码不正确: 'Wrong username or password', '无法连接服务器，请稍后重试': 'Cannot reach the server; try again later',
  当前密码: 'Current password', 再次输入新密码: 'New password again',
  '至少 10 位，含字母、数字、符号中至少两类，且不能包含用户名。修改后需用新密码重新登录。':
    'At least 10 characters, two of letters, digits and symbols, not the username. You sign in again with it.',
  请输入当前密码: 'Enter your current password', 请输入新密码: 'Enter the new password',
  两次输入的新密码不一致: 'The two new passwords differ', 新密码不符合下方的要求: 'The new password does not meet the rule below', 当前密码不正确: 'The current password is wrong',
  '密码已修改，请用新密码登录': 'Password changed: sign in with the new one',
  // the workbench
  待派单: 'To dispatch', '待审批（延期/方案）': 'To approve (extensions, plans)', 待回访: 'To call back', 待销号: 'To close',
  已超期: 'Overdue', 待签收: 'To accept', 办理中: 'In hand', '一日内到期（含超期）': 'Due within a day (and overdue)',
  最近受理: 'Latest intake', 编号: 'Number', 标题: 'Title', 状态: 'Status', 下一期限: 'Next deadline', 主办单位: 'Lead unit',
  没有待办的案件: 'Nothing waiting', 今日受理: "Today's intake", 在办: 'In hand', 今日到期: 'Due today',
  本角色没有待办的案件队列: 'This role has no case queues', 疑似重复: 'Possible duplicates', 退单待重派: 'Returned, to dispatch again',
  红色督办: 'Red notices', 最近受理的案件没有疑似重复: 'No possible duplicates among the latest intake', 已并入: 'merged into',
  并案未成功: 'Merging failed', 加载失败: 'Loading failed', 合并到此件: 'Merge into this one',
  '{d}天{h}小时': '{d} d {h} h', '{h}小时{m}分': '{h} h {m} min', '剩 {span}': '{span} left', '超 {span}': '{span} late',
  '1 交办': '1 dispatch', '3 反馈': '3 feedback', '7 办结': '7 resolve',
  // roles
  受理员: 'operator', 督办员: 'dispatcher', 承办员: 'clerk', 领导: 'leader', 系统管理员: 'administrator', 审计员: 'auditor',
  话务员: 'operator',
  // API errors
  '未登录或登录已失效，请重新登录': 'Not signed in, or the session ended; please sign in again',
  没有权限进行此操作: 'You may not do this', '找不到该记录（可能不存在，或不属于本单位）': 'Not found (it may not exist, or not be your unit\'s)',
  '当前状态下不能进行此操作，页面可能已过期，请刷新后重试': 'Not possible in the current state; the page may be out of date: reload and try again',
  填写的内容有误: 'Something entered is not valid', 请求有误: 'Bad request', 请求格式有误: 'Malformed request',
  '尝试次数过多，请稍后再试': 'Too many attempts; try again later', '账号已停用，请联系系统管理员': 'This account is disabled; ask the administrator',
  文件过大: 'The file is too large', 提交的内容过大: 'What was sent is too large',
  '系统繁忙或数据库暂不可用，请稍后重试': 'The system is busy or the database unavailable; try again later',
  '系统繁忙，请稍后重试': 'The system is busy; try again later', '操作失败（{status}）': 'Failed ({status})',
  '尝试次数过多，请 {s} 秒后再试': 'Too many attempts; try again in {s} s',
  // actions and their forms
  派单: 'Dispatch', 并案: 'Merge', 不予受理: 'Reject', 签收: 'Accept', 退单: 'Return', 反馈: 'Feedback',
  申请延期: 'Request extension', 同意延期: 'Approve extension', 不同意延期: 'Deny extension', 报送方案: 'Propose plan',
  同意方案: 'Approve plan', 不同意方案: 'Deny plan', 办结: 'Resolve', 回访: 'Call back', 免回访: 'Waive call-back',
  重办: 'Reopen', 销号: 'Close', 公开: 'Publish', 重算期限: 'Recompute deadlines', 直接答复: 'Answer directly',
  改派: 'Reassign', 领导批示: 'Leader instruction', 回访联系不上: 'Call-back: unreachable', 联系不上销号: 'Close as unreachable',
  随主件办结: 'Resolved with the main case', 上传附件: 'Attach', 公开附件: 'Publish attachment', 催办: 'Urge',
  并案说明: 'Why merged', 不予受理理由: 'Why rejected', 退单理由: 'Why returned', 反馈内容: 'Feedback',
  延期理由: 'Why an extension', 不同意的理由: 'Why not', 办理方案: 'Plan', 办理结果: 'Result', 免回访理由: 'Why no call-back',
  重办理由: 'Why reopened', 公开摘要: 'Public summary', 答复内容: 'Answer', 改派理由: 'Why reassigned', 批示内容: 'Instruction',
  催办内容: 'Reminder', 协办意见: 'Assisting opinion', 满意: 'Satisfied', 基本满意: 'Fairly satisfied', 不满意: 'Unsatisfied',
  // the case page
  找不到该案件: 'Case not found', '案件不存在，或不属于您的单位。': 'The case does not exist, or is not your unit\'s.',
  返回工作台: 'Back to the workbench', 打印交办单: 'Print the assignment sheet', 诉求: 'Request', 渠道: 'Channel',
  诉求类型: 'Request type', 诉求人: 'Requester', 电话: 'Phone', 查看: 'Show', 分类: 'Category', 乡镇: 'Township',
  协办单位: 'Assisting units', 内容: 'Content', 回执查询: 'Receipt', 查询码: 'Check code',
  '，群众凭受理编号和查询码在': '; the requester follows the case with its number and this code at', 查询办理进度: '',
  '13710 时限': '13710 deadlines', 环节: 'Step', 时限: 'Deadline', 情况: 'State', 附件: 'Attachments',
  '· 已公开': '· public', 取消公开: 'Unpublish', 暂无附件: 'No attachments', '上传照片或 PDF': 'Upload a photo or PDF', 办理过程: 'History',
  答复模板: 'Reply templates', '选用模板填入下方，再按实际修改': 'Pick a template to fill in below, then adapt it',
  选择单位: 'Choose a unit', 可选: 'Optional', 选择日期: 'Choose a date', 已解决: 'Solved', 未解决: 'Not solved', 确定: 'OK',
  查看完整联系方式: 'Show the full contact details',
  '查看将记入审计日志，请说明事由（如：需电话联系诉求人核实现场情况）。':
    'This is written to the audit log: give the reason (e.g. to call the requester to check the site).',
  查看事由: 'Reason', '文件不是 JPEG、PNG、WebP 照片或 PDF': 'The file is not a JPEG, PNG or WebP photo, or a PDF',
  请说明查看事由: 'Give the reason', '1 当日交办': '1 dispatch the same day', '3 三日反馈': '3 feedback in three days',
  '30 一月办结': '30 resolve in a month', '7 七日办结': '7 resolve in seven days', 已完成: 'Done', 未到期: 'Not due yet',
  日期: 'Date', 满意度: 'Satisfaction', 问题是否解决: 'Solved?', '并入的主件（案件ID）': 'Main case (its ID)',
  公开答复: 'Public reply', 说明: 'Note',
  // case statuses, channels, classes, request types
  已受理: 'Received', 已派单: 'Dispatched', 已办结: 'Resolved', 已回访: 'Called back', 已销号: 'Closed', 已并案: 'Merged',
  '12345热线': '12345 hotline', 信访: 'Petition', 数字城管: 'Digital city management', 人大代表建议: "Deputies' suggestion",
  政协提案: 'CPPCC motion', 企业服务: 'Enterprise service', 领导交办: 'Leader\'s task', 紧急: 'Urgent', 一般: 'Ordinary',
  重大: 'Major', 咨询: 'Question', 求助: 'Help', 投诉: 'Complaint', 举报: 'Report', 建议: 'Suggestion', 表扬: 'Praise',
  // intake
  受理登记: 'New case', 紧急程度: 'Urgency', 问题分类: 'Category', 可搜索: 'Searchable', '所属乡镇（街道）': 'Township',
  联系电话: 'Phone', 保密: 'Confidential', 诉求人要求保密: 'The requester asks for confidentiality', 诉求内容: 'Description',
  '可能重复的诉求（近30天）': 'Possible duplicates (last 30 days)', 暂无: 'None', 暂无匹配的答复: 'No matching answers',
  请填写标题: 'Enter a title',
  '已受理（{no}），但并案未成功：{why}': 'Received ({no}), but merging failed: {why}',
  '已受理（{no}），但直接答复未成功：{why}': 'Received ({no}), but the direct answer failed: {why}',
  // the knowledge base
  '输入问题或答复中的词，如：社保卡 补办': 'Words of a question or answer, e.g. 社保卡 补办', 含已过期: 'Include expired',
  新增条目: 'New entry', 没有匹配的知识库条目: 'No matching entries', 问题: 'Question', 维护单位: 'Kept by',
  '12345 中心': '12345 centre', 有效期至: 'Valid until', 长期: 'Indefinitely', 已过期: 'Expired', 引用: 'Used',
  '删除这条知识库条目？已据此作出的答复不受影响。': 'Delete this entry? Answers already given from it stay.',
  编辑知识库条目: 'Edit entry', 新增知识库条目: 'New entry', 答复口径: 'Answer', 政策依据: 'Policy basis',
  长期有效: 'No end date', 保存: 'Save', 请填写问题: 'Enter the question', 请填写答复口径: 'Enter the answer',
  只能维护本单位的知识库条目: "Only your unit's entries may be changed", 只能删除本单位的知识库条目: "Only your unit's entries may be deleted",
  // notices
  全部: 'All', 全部单位: 'All units', 没有督办通知: 'No notices', 级别: 'Level', 发出时间: 'Raised', 已催办: 'Urged',
  发送催办: 'Send reminder', 蓝色预警: 'Blue warning', 黄色督办: 'Yellow notice', 批示: 'Instruction', 承办单位: 'the unit',
  请填写催办内容: 'Write the reminder',
  '该案件当前不在承办单位办理中，不能催办（可能已办结）': 'The case is not with a unit now, so there is nothing to urge (it may be resolved)',
  // the dashboard
  至: 'to', 开始日期: 'From', 结束日期: 'To', '按交办时间统计各单位，按受理时间统计趋势与分布':
    'Units by dispatch date; trends and distributions by intake date',
  '综合排名（{a}% 按时签收率 + {s}% 解决率 + {f}% 满意率）': 'Composite ranking ({a}% accepted on time + {s}% solved + {f}% satisfied)',
  '导出 Excel': 'Export to Excel', 市直部门: 'Departments', 乡镇街道: 'Townships', 名次: 'Rank', 交办: 'Dispatched',
  按时签收率: 'On-time acceptance', 解决率: 'Solved', 满意率: 'Satisfied', 综合: 'Composite',
  '名次为“—”的单位：期内交办不足 {n} 件或尚无可计算的比率，列出但不参与排名。':
    'A unit ranked "—" had fewer than {n} cases dispatched in the period, or no rate yet: listed, not ranked.',
  '月度趋势（按受理月份）': 'Monthly trend (by intake month)', 受理渠道: 'Channels', '问题分类 × 乡镇街道': 'Category × township',
  '超期案件（按主办单位）': 'Overdue cases (by lead unit)', '码上评（按单位）': 'QR ratings (by unit)', 办结率: 'Resolved',
  直接答复率: 'Answered directly', '{b}：{c} 件（{d}%）': '{b}: {c} ({d}%)', 件数: 'Cases', 件: 'cases', '{n} 件': '{n}',
  好评率: 'Good ratings', 评价: 'Ratings', 差评: 'Bad ratings', '统计期间有误：': 'Bad period: ',
  // 码上评
  新增服务点: 'New service point', 评价数: 'Ratings', 差评数: 'Bad ratings', 差评整改率: 'Bad ratings put right',
  还没有服务点: 'No service points yet', 服务点: 'Service point', 已停用: 'Disabled', 所属单位: 'Unit', 整改率: 'Put right',
  海报: 'Poster', 二维码: 'QR code', 打开: 'Open', 编辑服务点: 'Edit service point', 名称: 'Name',
  '如：不动产登记窗口': 'e.g. the land registry window', 位置: 'Place', '如：市民之家二楼 12 号窗口': 'e.g. Citizen Centre, 2nd floor, window 12',
  接受评价: 'Taking ratings', 请填写服务点名称: 'Enter the name', 请选择所属单位: 'Choose the unit',
  // time limits and the calendar
  '各渠道、各紧急程度案件的“13710”办理时限。点击单元格修改；修改后新交办的案件按新规则计算期限。':
    'The 13710 time limits per channel and urgency. Click a cell to change it; cases dispatched afterwards follow the new rule.',
  首次反馈: 'First feedback', 默认延期: 'Default extension', 当日: 'same day', 小时: 'hours', 自然日: 'days',
  工作日: 'working days', 个月: 'months', 不设时限: 'no limit',
  '该环节不能设为此时限（交办须有时限，数值 0 至 10000）': 'Not a limit this step can have (dispatch needs one; 0 to 10000)',
  '{y} 年': '{y}', '{m} 月': 'Month {m}', '休息日（节假日）': 'Day off (holiday)', 调休上班: 'Make-up working day',
  导入年度日历: 'Import a year', '{year} 年的日历尚未导入：超出的期限暂按周一至周五计算':
    'The {year} calendar is not imported: deadlines in it count Monday to Friday for now',
  休: 'off', 班: 'work', '文件不是有效的 JSON 日历文件': 'The file is not a JSON calendar',
  '已导入 {year} 年：休息日 {off_days} 天、调休上班 {work_days} 天；重新计算期限的在办案件 {recomputed} 件':
    '{year} imported: {off_days} days off, {work_days} make-up working days; deadlines of {recomputed} open cases recomputed',
  '日历文件有误：': 'The calendar file is wrong: ',
  // reference data
  新增单位: 'New unit', 类别: 'Kind', 改名: 'Rename', 新增分类: 'New category', 默认承办单位: 'Default unit',
  'API 令牌': 'API tokens', 新建令牌: 'New token', 角色: 'Role', 创建时间: 'Created', 已吊销: 'Revoked', 有效: 'Valid',
  '吊销后使用该令牌的系统将无法访问，确定？': 'Systems using this token will lose access. Revoke it?', 吊销: 'Revoke',
  新增模板: 'New template', 全部分类: 'All categories', '删除这个模板？': 'Delete this template?',
  '字母、数字、点或下划线': 'Letters, digits, dots or underscores', 上级分类: 'Parent category', '无（顶级分类）': 'None (top level)',
  '单位（承办员令牌）': 'Unit (for a clerk\'s token)', '令牌只显示这一次，请立即复制保存': 'The token is shown only this once: copy it now',
  中心: 'Centre', 新增问题分类: 'New category', '新建 API 令牌': 'New API token', 请填写名称: 'Enter the name',
  请选择类别: 'Choose the kind', 请选择角色: 'Choose the role', 请填写内容: 'Enter the text', 该代码已被使用: 'This code is taken',
  代码: 'Code', 操作: 'Actions', 编辑: 'Edit', 删除: 'Delete', 取消: 'Cancel', 修改: 'Change', 关闭: 'Close', 添加: 'Add',
  附加项: 'Attributes', '受理该分类的诉求时要填写的内容，也是 Open311 服务定义中的属性。已受理的案件保留原来填写的值。':
    'What intake asks for this category, and the attributes of its Open311 service definition. Cases keep what they answered.',
  没有附加项: 'No attributes', 类型: 'Type', 选项: 'Values', 必填: 'Required', 是: 'yes', '删除这个附加项？': 'Delete this attribute?',
  新增附加项: 'New attribute', '小写字母、数字、下划线': 'Lower-case letters, digits, underscores',
  '说明（受理时显示）': 'Description (shown at intake)', '键，如 rain': 'Key, e.g. rain', '名称，如 雨水井': 'Name, e.g. 雨水井',
  添加选项: 'Add a value', 取消修改: 'Cancel the change', 保存修改: 'Save the change', 单行文字: 'Text (one line)',
  多行文字: 'Text', 数字: 'Number', 日期时间: 'Date and time', 单选: 'One of a list', 多选: 'Several of a list',
  '代码只能用小写字母、数字和下划线': 'A code is lower-case letters, digits and underscores', 请选择类型: 'Choose the type',
  请填写说明: 'Enter the description', 请填写代码: 'Enter the code',
  '选项的键只能用小写字母、数字、_ - .，名称必填，键不能重复；单选、多选至少一个选项':
    'Value keys are lower-case letters, digits, _ - . and differ; each needs a name; a list needs at least one value',
  // the audit page
  案件事件哈希链校验: 'Hash chain of case events',
  '逐件核对每个案件的全部办理记录是否被篡改（与命令 duban audit verify 相同），校验本身记入访问日志。':
    'Checks every event of every case for tampering (as `duban audit verify` does); the check itself is logged.',
  立即校验: 'Check now', '校验通过：{cases} 件案件、{events} 条记录完整': 'Intact: {cases} cases, {events} events',
  '发现异常：案件 {case_no} 第 {seq} 条记录（{reason}）': 'Broken: case {case_no}, event {seq} ({reason})',
  校验时间: 'Checked at', 操作人: 'Actor', 动作: 'Action', 没有记录: 'No entries', 时间: 'Time', 更早的记录: 'Earlier entries',
  登录失败: 'Sign-in failed', 停用账号登录: 'Disabled account signing in', 越权被拒: 'Refused (not allowed)',
  查看联系方式: 'Contact shown', 列表含联系方式: 'List with contacts', 按电话查询: 'Lookup by phone', 密码已修改: 'Password changed', 修改密码: 'Change password',
  登录过频被拒: 'Sign-in throttled', 修改密码被拒: 'Password change refused', 重置密码: 'Reset password',
  停用账号: 'Account disabled', 启用账号: 'Account enabled', 导出: 'Export', 哈希链校验: 'Hash chain check',
  // the 通报
  通报: 'Bulletin', 选择月份: 'Choose a month', 与上月比较: 'compared with the month before', 打印: 'Print',
  上月: 'Last month', 不排名: 'not ranked', '第一：': 'First: ', '；末位：': '; last: ', 升降: 'Trend', 序号: 'No.', 受理诉求: 'Received', 交办单位: 'Dispatched',
  市直部门综合排名: 'Departments ranked', 乡镇街道综合排名: 'Townships ranked', 高频问题: 'Most asked about',
  '主要来源乡镇（件）': 'Mostly from (cases)',
  '综合得分 = 按时签收率 × {a}% + 解决率 × {s}% + 满意率 × {f}%；期内交办不足 {n} 件的单位列出但不参与排名。':
    'Composite = on-time acceptance × {a}% + solved × {s}% + satisfied × {f}%; a unit with fewer than {n} cases dispatched is listed, not ranked.',
  修改设置: 'Setting changed', 通报已发布: 'Bulletin published', 分子: 'Numerator', 分母: 'Denominator', '只列出前 {n} 件': 'Only the first {n} are listed',
  发布: 'Publish', 已发布的通报: 'Published issues', 还没有发布过通报: 'Nothing published yet', 期号: 'Issue',
  '第 {no} 期': 'No. {no}', 期间: 'Period', 发布时间: 'Published', 发布人: 'By', 更正: 'Correction',
  '更正第 {no} 期': 'Corrects No. {no}', 发布通报: 'Publish the bulletin',
  '发布后本期内容（数字、打印页和 Excel）按发布时的样子保存，以后的变化不会改写它；如需更正，发布新的一期并写明更正了什么。':
    'Once published, the issue (figures, page and workbook) is kept as it was; later changes do not rewrite it. To correct it, publish a new issue saying what it corrects.',
  更正的期号: 'Corrects issue', 不是更正: 'Not a correction', 更正说明: 'What it corrects', '发布 {month}': 'Publish {month}',
  '请写明更正了什么（200 字以内）': 'Say what it corrects (200 characters at most)', '已发布第 {no} 期': 'Issue No. {no} published',
  // search
  查询: 'Search', 案件: 'Case', 详情: 'Details', 单位: 'Unit', 超期: 'Overdue', 期限: 'Deadline', 管理员: 'administrator',
  关键词: 'Words', 标题或内容: 'In title or description', 受理日期: 'Received', 开始: 'From', 结束: 'To', 仅超期: 'Overdue only',
  重置: 'Reset', 没有符合条件的案件: 'No matching cases', 受理时间: 'Received', '正在导出 {done} / {total} 件……': 'Exporting {done} / {total}…',
  '已导出 {total} 件。': '{total} exported.', '导出未成功：': 'The export failed: ', 下载: 'Download', '第 {page} 页': 'Page {page}',
  // users
  '按用户名、姓名或单位筛选': 'Filter by username, name or unit', 新增用户: 'New user', 没有用户: 'No users', 姓名: 'Name',
  正常: 'Active', 启用: 'Enable', 停用: 'Disable', '小写字母、数字、点、下划线': 'Lower-case letters, digits, dots, underscores',
  初始密码: 'First password', '重置 {u} 的密码': 'Reset the password of {u}', 新密码: 'New password',
  '重置后该用户的登录会话全部失效，需用新密码重新登录。': "Resetting ends all of the user's sessions; they sign in with the new password.",
  不能停用自己的账号: 'You cannot disable your own account', 请填写用户名: 'Enter the username',
  '用户名为小写字母、数字、点、下划线或短横线': 'A username is lower-case letters, digits, dots, underscores or hyphens',
  承办员需要所属单位: 'A clerk needs a unit', 请设置初始密码: 'Set a first password',
  '密码不符合要求：至少 10 位，含字母、数字、符号中至少两类，且不能包含用户名':
    'The password needs 10 or more characters, two of letters, digits and symbols, and not the username',
  该用户名已存在: 'This username is taken', 请填写新密码: 'Enter the new password',
  // 清零台账
  清零台账: 'Open-case ledger', 未办结: 'Open', 待审批: 'To approve', '统计至 {at}': 'As of {at}',
  各单位清零进度: 'Open cases by unit', 最早受理: 'Oldest', 最早超期期限: 'Earliest missed deadline',
  看全部: 'Show all', 已清零: 'Nothing open', 当前环节: 'Step', 已历天数: 'Age (days)',
  超期天数: 'Days overdue', 重办次数: 'Reopened', 没有超期案件: 'Nothing overdue', 延期待批: 'Extension to approve', 方案待批: 'Plan to approve',
  // 申诉复核
  '申诉复核核减：回访 {visits} 件，差评 {evaluations} 件（不计入各项比率）':
    'Taken out on appeal: {visits} call-backs, {evaluations} poor ratings (in no rate)',
  差评申诉复核: 'Appeals against poor ratings', 仅待复核: 'Awaiting a ruling only', 仅未申诉: 'Not appealed only',
  没有差评: 'No poor ratings', 意见: 'Comment', 申诉: 'Appeal', 复核: 'Rule', 申诉复核: 'Appeal',
  申诉理由: 'Grounds of appeal', 复核结论: 'Ruling', '申诉成立（不计入评价）': 'Upheld (the rating is taken out)',
  申诉不成立: 'Appeal rejected', 复核意见: 'Reasons for the ruling', 请写明理由: 'Give the reasons',
  请选择复核结论: 'Choose a ruling', 提交: 'Submit', 待复核: 'Awaiting a ruling', 申诉成立: 'Appeal upheld', 申诉待复核: 'Appeal awaiting a ruling',
  '申诉成立，不计入满意率': 'Appeal upheld: out of the satisfaction rate', 回访申诉待复核: 'Call-back appeals to rule on',
  没有待复核的申诉: 'No appeal awaits a ruling',
  '申诉成立核减差评 {n} 件，不计入以上数字': '{n} poor ratings taken out on appeal, in none of the figures above',
  // 未诉先办
  '热点预警（未诉先办）': 'Hot spots (act before people call)', 按乡镇街道: 'By township', 按主办单位: 'By lead unit',
  '规则：近7天件数不少于 {min} 件，且按前 {weeks} 周的周均值（泊松分布）计算，出现这么多的概率小于 {p}。':
    'Rule: at least {min} in the last 7 days, and so many would come with probability below {p} at the weekly mean of the {weeks} weeks before (Poisson).',
  近7天没有明显高于往常的问题: 'Nothing stands out in the last 7 days', 近7天: 'Last 7 days',
  前8周周均: '8-week mean', 近9周走势: '9 weeks', 转领导交办: 'Make a task', '已生成领导交办件 {no}': 'Task {no} made',
};
