// Tracking a case with its receipt's check code (/t/{case_no}?code=...).
import { $, call, i18n, lang, show } from './public.js';

const en = {
  title: 'Case progress', case_no: 'Case number', track_code: 'Check code', look: 'Look up',
  channel: 'Channel', category: 'Category', unit: 'Unit in charge', received: 'Received',
  steps: '13710 time limits', content: 'What was reported', reply: 'Reply',
  noreply: 'The outcome will be given to you by phone.', photos: 'Photos',
};
const stateText = {
  zh: { done: '已完成', done_late: '已完成（超时）', overdue: '已超时', due: '办理中' },
  en: { done: 'done', done_late: 'done late', overdue: 'overdue', due: 'in progress' },
};
const stepEn = { 1: 'Assigned the same day', 3: 'Feedback within 3 days', 7: 'Resolved within 7 days',
  30: 'Resolved within a month', 0: 'Tracked until closed' };
const errors = {
  zh: { missing: '请填写受理编号和查询码', notfound: '未找到该编号的案件，或查询码不正确，请核对回执',
    throttled: '查询错误次数过多，请 {m} 分钟后再试', network: '网络不通，请检查网络后重试', other: '查询未成功，请稍后重试',
    by: '截止', at: '于' },
  en: { missing: 'Enter the case number and the check code', notfound: 'No case with this number and check code; check your receipt',
    throttled: 'Too many wrong attempts; try again in {m} minutes', network: 'No connection; please try again', other: 'Lookup failed; please try again',
    by: 'due', at: 'on' },
};
const E = (k) => errors[lang()][k];
let data = null;

function draw() {
  if (!data) return;
  $('r-no').textContent = data.case_no;
  $('r-status').textContent = data.status_label;
  $('r-channel').textContent = data.channel_label;
  $('r-category').textContent = data.category || '—';
  $('r-unit').textContent = data.unit || '—';
  $('r-received').textContent = data.received_at.replace('T', ' ').slice(0, 16);
  const ol = $('r-steps');
  ol.textContent = '';
  for (const s of data.steps) {
    const li = document.createElement('li');
    li.className = s.state;
    const n = document.createElement('span');
    n.className = 'n';
    n.textContent = s.step;
    const what = document.createElement('span');
    what.className = 'what';
    what.textContent = lang() === 'en' ? stepEn[s.step] || s.label : s.label;
    const st = document.createElement('div');
    st.className = 'state';
    const when = s.done_at ? `${E('at')} ${s.done_at.replace('T', ' ').slice(0, 16)}` : s.due ? `${E('by')} ${s.due.replace('T', ' ').slice(0, 16)}` : '';
    st.textContent = `${stateText[lang()][s.state]} ${when}`.trim();
    what.append(st);
    li.append(n, what);
    ol.append(li);
  }
  $('r-desc').textContent = data.description || '';
  show($('r-desc-box'), Boolean(data.description));
  $('r-reply').textContent = data.reply || '';
  show($('r-reply-box'), Boolean(data.reply));
  show($('r-noreply'), !data.reply);
  // the photos the 督查室 published; loaded only when shown (a weak connection)
  const ph = $('r-photos');
  ph.textContent = '';
  for (const url of data.photos || []) {
    const a = document.createElement('a');
    a.href = url;
    const img = document.createElement('img');
    img.src = url;
    img.loading = 'lazy';
    img.alt = '';
    a.append(img);
    ph.append(a);
  }
  show($('r-photos-box'), Boolean(data.photos && data.photos.length));
}

i18n({ en }, draw);

function fail(text) {
  $('err').textContent = text;
  show($('err'), true);
}

async function look(no, code) {
  show($('err'), false);
  try {
    data = await call('GET', `/api/v1/public/track/${encodeURIComponent(no)}?code=${encodeURIComponent(code)}`);
  } catch (e) {
    data = null;
    show($('result'), false);
    if (e.status === 429) fail(E('throttled').replace('{m}', Math.max(1, Math.ceil(Number(e.retry || 60) / 60))));
    else if (e.status === 404) fail(E('notfound'));
    else fail(e.status === 0 ? E('network') : E('other'));
    return;
  }
  draw();
  show($('result'), true);
}

$('ask').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const no = $('no').value.trim(), code = $('code').value.trim();
  if (!no || !code) return fail(E('missing'));
  history.replaceState(null, '', `/t/${encodeURIComponent(no)}?code=${encodeURIComponent(code)}`);
  look(no, code);
});

const no = decodeURIComponent(location.pathname.split('/')[2] || '');
const code = new URLSearchParams(location.search).get('code') || '';
$('no').value = no;
$('code').value = code;
if (no && code) look(no, code);
