// A deadline as a person reads it: which 13710 step, how long is left, and
// the colour of its state — green (more than a day), blue (within 24 h),
// yellow (passed), red (escalated: three days past).
import { t } from './i18n.js';

const steps = { dispatch: '1 交办', accept: '签收', feedback: '3 反馈', resolve: '7 办结' };

export function dueView(nextDue, now = Date.now()) {
  if (!nextDue || !nextDue.due) return null;
  const left = Date.parse(nextDue.due) - now;
  const abs = Math.abs(left);
  const d = Math.floor(abs / 86400000), h = Math.floor((abs % 86400000) / 3600000);
  const span = d ? t('{d}天{h}小时', { d, h }) : t('{h}小时{m}分', { h, m: Math.floor((abs % 3600000) / 60000) });
  let colour = 'green';
  if (left <= 0) colour = -left >= 3 * 86400000 ? 'red' : 'yellow';
  else if (left <= 86400000) colour = 'blue';
  return { step: t(steps[nextDue.kind] || nextDue.kind), text: t(left > 0 ? '剩 {span}' : '超 {span}', { span }), colour };
}
