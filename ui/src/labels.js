// What the API's names read as in Chinese (or English: t() at load, and
// the page reloads when the language changes).
import { t } from './i18n.js';

export const actionLabels = {
  dispatch: t('派单'), merge: t('并案'), reject: t('不予受理'), accept: t('签收'), return: t('退单'), feedback: t('反馈'),
  request_extension: t('申请延期'), approve_extension: t('同意延期'), deny_extension: t('不同意延期'),
  propose_plan: t('报送方案'), approve_plan: t('同意方案'), deny_plan: t('不同意方案'), resolve: t('办结'),
  visit: t('回访'), waive_visit: t('免回访'), reopen: t('重办'), close: t('销号'), publish: t('公开'),
  recompute: t('重算期限'), answer: t('直接答复'), reassign: t('改派'), instruct: t('领导批示'),
  unreachable: t('回访联系不上'), close_unreachable: t('联系不上销号'), follow: t('随主件办结'),
  attach: t('上传附件'), publish_attachment: t('公开附件'), create: t('受理'), urge: t('催办'),
  request_review: t('申诉复核'), uphold_review: t('申诉成立'), reject_review: t('申诉不成立'),
};

// The form each action needs: fields in order (see docs/openapi.yaml).
export const actionForms = {
  dispatch: ['unit', 'assist'], merge: ['into', 'note'], reject: ['note'], accept: [], return: ['note'],
  feedback: ['note'], request_extension: ['until', 'note'], approve_extension: [], deny_extension: ['note'],
  propose_plan: ['until', 'note'], approve_plan: [], deny_plan: ['note'], resolve: ['note'],
  visit: ['satisfaction', 'solved'], waive_visit: ['note'], reopen: ['note'], close: [],
  publish: ['note', 'reply'], answer: ['note'], reassign: ['unit', 'assist', 'until', 'note'],
  instruct: ['note', 'until'], unreachable: [], close_unreachable: [], urge: ['note'],
  request_review: ['note'], uphold_review: ['note'], reject_review: ['note'],
};

export const noteLabels = {
  merge: t('并案说明'), reject: t('不予受理理由'), return: t('退单理由'), feedback: t('反馈内容'),
  request_extension: t('延期理由'), deny_extension: t('不同意的理由'), propose_plan: t('办理方案'),
  deny_plan: t('不同意的理由'), resolve: t('办理结果'), waive_visit: t('免回访理由'), reopen: t('重办理由'),
  publish: t('公开摘要'), answer: t('答复内容'), reassign: t('改派理由'), instruct: t('批示内容'),
  urge: t('催办内容'), request_review: t('申诉理由'), uphold_review: t('复核意见'), reject_review: t('复核意见'),
};

export const satisfactions = [
  { value: 'satisfied', label: t('满意') }, { value: 'basic', label: t('基本满意') }, { value: 'unsatisfied', label: t('不满意') },
];

// The listable rates by name, as the figures call them (GET /stats).
export const figureLabels = {
  accept_rate: '按时签收率', feedback_rate: '按时反馈率', resolve_rate: '办结率', ontime_resolve_rate: '按期办结率',
  solve_rate: '解决率', satisfaction_rate: '满意率', reopen_rate: '重办率', extension_rate: '延期率', return_rate: '退单率',
};

// A 考核 scheme's terms in words: "按时签收率 30 + 按期办结率 35 + 满意率 35".
export function schemeTerms(scheme) {
  if (!scheme || !scheme.terms) return '';
  return scheme.terms.map((x) => `${t(figureLabels[x.figure] || x.figure)} ${x.weight}`).join(' + ');
}
