// What the API's names read as in Chinese.
export const actionLabels = {
  dispatch: '派单', merge: '并案', reject: '不予受理', accept: '签收', return: '退单', feedback: '反馈',
  request_extension: '申请延期', approve_extension: '同意延期', deny_extension: '不同意延期',
  propose_plan: '报送方案', approve_plan: '同意方案', deny_plan: '不同意方案', resolve: '办结',
  visit: '回访', waive_visit: '免回访', reopen: '重办', close: '销号', publish: '公开',
  recompute: '重算期限', answer: '直接答复', reassign: '改派', instruct: '领导批示',
  unreachable: '回访联系不上', close_unreachable: '联系不上销号', follow: '随主件办结',
  attach: '上传附件', publish_attachment: '公开附件', create: '受理', urge: '催办',
};

// The form each action needs: fields in order (see docs/openapi.yaml).
export const actionForms = {
  dispatch: ['unit', 'assist'], merge: ['into', 'note'], reject: ['note'], accept: [], return: ['note'],
  feedback: ['note'], request_extension: ['until', 'note'], approve_extension: [], deny_extension: ['note'],
  propose_plan: ['until', 'note'], approve_plan: [], deny_plan: ['note'], resolve: ['note'],
  visit: ['satisfaction', 'solved'], waive_visit: ['note'], reopen: ['note'], close: [],
  publish: ['note', 'reply'], answer: ['note'], reassign: ['unit', 'assist', 'until', 'note'],
  instruct: ['note', 'until'], unreachable: [], close_unreachable: [], urge: ['note'],
};

export const noteLabels = {
  merge: '并案说明', reject: '不予受理理由', return: '退单理由', feedback: '反馈内容',
  request_extension: '延期理由', deny_extension: '不同意的理由', propose_plan: '办理方案',
  deny_plan: '不同意的理由', resolve: '办理结果', waive_visit: '免回访理由', reopen: '重办理由',
  publish: '公开摘要', answer: '答复内容', reassign: '改派理由', instruct: '批示内容',
  urge: '催办内容',
};

export const satisfactions = [
  { value: 'satisfied', label: '满意' }, { value: 'basic', label: '基本满意' }, { value: 'unsatisfied', label: '不满意' },
];
