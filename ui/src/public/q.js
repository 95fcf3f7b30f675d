// 码上评: evaluate a service point from its QR code (/q/{code}).
import { $, call, i18n, lang, show } from './public.js';

const en = {
  title: 'Rate our service', loading: 'Opening…', missing_title: 'Service point not found',
  missing_text: 'Please check that you scanned the right QR code.', how: 'How satisfied are you with this service?',
  what: 'What went wrong? (choose any)', r_efficiency: 'Speed', r_attitude: 'Attitude', r_guide: 'Guidance',
  r_facility: 'Facilities', r_other: 'Other', comment: 'Comments (optional)',
  report: 'Report a problem (passed to the unit in charge to put right, with a reply)',
  phone: 'Phone (optional, for a call back; never published)', send: 'Submit', thanks: 'Thank you for your rating',
  case_sent: 'Your report has been passed on:', unit: 'Unit in charge', case_no: 'Case number',
  track_code: 'Check code', track: 'Follow its progress', keep: 'Keep the case number and check code to follow it.',
};
const levelsEn = {
  very_satisfied: 'Very satisfied', satisfied: 'Satisfied', basic: 'Fairly satisfied',
  unsatisfied: 'Unsatisfied', very_unsatisfied: 'Very unsatisfied',
};
// stars, not emoji: every phone's font (and a server's) has them
const stars = { very_satisfied: 5, satisfied: 4, basic: 3, unsatisfied: 2, very_unsatisfied: 1 };
const messages = {
  zh: {
    level: '请选择满意程度', comment_needed: '请写下您要反映的问题', comment: '意见最多 500 字',
    phone: '请填写正确的电话号码（7 到 20 位数字）', device: '您在一小时内已评价过该服务点，感谢您的参与',
    addr: '该服务点此时段评价过多，请稍后再试', inactive: '该服务点已停用，暂不接受评价',
    network: '网络不通，请检查网络后重试', other: '提交未成功，请稍后重试',
    token: '页面已过期，请刷新页面后重新评价',
  },
  en: {
    level: 'Please choose a level', comment_needed: 'Please say what the problem is', comment: 'At most 500 characters',
    phone: 'Please give a valid phone number (7 to 20 digits)', device: 'You have already rated this point within the hour',
    addr: 'Too many ratings here just now; please try later', inactive: 'This service point no longer takes ratings',
    network: 'No connection; please try again', other: 'Not sent; please try again later',
    token: 'This page has expired; please reload it and rate again',
  },
};
const msg = (k) => messages[lang()][k];

const code = location.pathname.split('/')[2] || '';
let point = null;
let level = '';
let result = null;

function drawLevels() {
  const box = $('levels');
  box.textContent = '';
  for (const l of point.levels) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `level${l.bad ? ' bad' : ''}`;
    b.dataset.level = l.name;
    b.setAttribute('aria-pressed', String(l.name === level));
    const face = document.createElement('span');
    face.className = 'stars';
    face.textContent = '★'.repeat(stars[l.name]) + '☆'.repeat(5 - stars[l.name]);
    face.setAttribute('aria-hidden', 'true');
    b.append(face, lang() === 'en' ? levelsEn[l.name] : l.label);
    b.addEventListener('click', () => choose(l));
    box.append(b);
  }
}

function choose(l) {
  level = l.name;
  for (const b of $('levels').children) b.setAttribute('aria-pressed', String(b.dataset.level === level));
  show($('reasons-box'), l.bad);
  show($('err-level'), false);
}

function fieldError(field, text) {
  const el = $(`err-${field}`) || $('err-form');
  el.textContent = text;
  show(el, true);
  (field === 'level' ? $('levels').firstElementChild : $(field))?.focus?.();
}

function drawDone() {
  const l = point.levels.find((x) => x.name === result.level);
  $('done-level').textContent = lang() === 'en' ? levelsEn[result.level] : l ? l.label : '';
  if (result.case) {
    $('case-unit').textContent = result.case.unit;
    $('case-no').textContent = result.case.case_no;
    $('case-code').textContent = result.case.track_code.replace(/(.{4})(?=.)/g, '$1-');
    $('case-link').href = new URL(result.case.track_url).pathname + new URL(result.case.track_url).search;
  }
  show($('done-case'), Boolean(result.case));
}

const t = i18n({ en }, () => { if (point) drawLevels(); if (result) drawDone(); });

$('comment').addEventListener('input', () => { $('count').textContent = [...$('comment').value].length; });

$('form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  for (const el of document.querySelectorAll('.error')) show(el, false);
  if (!level) return fieldError('level', msg('level'));
  const comment = $('comment').value.trim();
  const report = $('report').checked;
  if (report && !comment) return fieldError('comment', msg('comment_needed'));
  const phone = $('phone').value.trim();
  if (phone && !/^[0-9+\- ]{7,20}$/.test(phone)) return fieldError('phone', msg('phone'));
  const body = { level, token: point.token }; // the page's own, taken once (docs/rules.md)
  const reasons = [...document.querySelectorAll('input[name=reasons]:checked')].map((x) => x.value);
  if (reasons.length && point.levels.find((x) => x.name === level)?.bad) body.reasons = reasons;
  if (comment) body.comment = comment;
  if (phone) body.phone = phone;
  if (report) body.report = true;
  if ($('website').value) body.website = $('website').value;
  $('send').disabled = true;
  try {
    result = await call('POST', `/api/v1/public/points/${encodeURIComponent(code)}/evaluations`, body);
    show($('form'), false);
    drawDone();
    show($('done'), true);
    window.scrollTo(0, 0);
  } catch (e) {
    if (e.status === 429) fieldError('form', msg(e.field === 'addr' ? 'addr' : 'device'));
    else if (e.field === 'token') fieldError('form', msg('token'));
    else if (e.status === 409) fieldError('form', msg('inactive'));
    else if (e.status === 422 && e.field === 'phone') fieldError('phone', msg('phone'));
    else if (e.status === 422 && e.field === 'comment') fieldError('comment', report && !comment ? msg('comment_needed') : msg('comment'));
    else if (e.status === 422 && e.field === 'level') fieldError('level', msg('level'));
    else fieldError('form', e.status === 0 ? msg('network') : msg('other'));
  } finally {
    $('send').disabled = false;
  }
});

(async () => {
  try {
    point = await call('GET', `/api/v1/public/points/${encodeURIComponent(code)}`);
  } catch (e) {
    show($('loading'), false);
    if (e.status === 0) { $('loading').textContent = msg('network'); show($('loading'), true); return; }
    show($('missing'), true);
    return;
  }
  show($('loading'), false);
  $('name').textContent = point.name;
  $('where').textContent = [point.place, point.unit].filter(Boolean).join(' · ');
  drawLevels();
  show($('form'), true);
  if (!point.active) { fieldError('form', msg('inactive')); $('send').disabled = true; }
  void t;
})();
