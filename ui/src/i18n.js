// zh-CN first, English on request: the language chosen (remembered in this
// browser) and t(), which gives a Chinese text's English when English is
// chosen. Keyed by the Chinese itself, so a page is translated by wrapping
// its texts in t() and adding them here; a text with no English stays Chinese.
import { reactive } from 'vue';

const stored = (() => { try { return localStorage.getItem('duban.lang'); } catch { return null; } })();
export const i18n = reactive({ lang: stored === 'en' ? 'en' : 'zh' });

export function setLang(lang) {
  i18n.lang = lang === 'en' ? 'en' : 'zh';
  try { localStorage.setItem('duban.lang', i18n.lang); } catch { /* private mode */ }
  document.documentElement.lang = i18n.lang === 'en' ? 'en' : 'zh-CN';
}

const en = {
  // the shell and its menu
  督办: 'Notices', 工作台: 'Workbench', 受理: 'Intake', 案件查询: 'Cases', 统计: 'Dashboard', 码上评: 'QR ratings',
  知识库: 'Knowledge base', 时限规则: 'Time limits', 工作日历: 'Calendar', 用户管理: 'Users', 基础数据: 'Reference data',
  审计: 'Audit', 案件详情: 'Case', 退出: 'Sign out', 菜单: 'Menu',
  // signing in
  '督办 · 诉求办理与督查督办': 'duban · case handling and supervision', 用户名: 'Username', 密码: 'Password',
  登录: 'Sign in', 请输入用户名: 'Enter your username', 请输入密码: 'Enter your password',
  用户名或密码不正确: 'Wrong username or password', '无法连接服务器，请稍后重试': 'Cannot reach the server; try again later',
  // the workbench
  待派单: 'To dispatch', '待审批（延期/方案）': 'To approve (extensions, plans)', 待回访: 'To call back', 待销号: 'To close',
  已超期: 'Overdue', 待签收: 'To accept', 办理中: 'In hand', '一日内到期（含超期）': 'Due within a day (and overdue)',
  最近受理: 'Latest intake', 编号: 'Number', 标题: 'Title', 状态: 'Status', 下一期限: 'Next deadline', 主办单位: 'Lead unit',
  没有待办的案件: 'Nothing waiting', 今日受理: "Today's intake", 在办: 'In hand', 今日到期: 'Due today',
  本角色没有待办的案件队列: 'This role has no case queues',
  // roles
  受理员: 'operator', 督办员: 'dispatcher', 承办员: 'clerk', 领导: 'leader', 系统管理员: 'administrator', 审计员: 'auditor',
};

export function t(zh) {
  return i18n.lang === 'en' ? en[zh] ?? zh : zh;
}
