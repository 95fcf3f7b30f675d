// What the two public pages share: their style, a small fetch helper and
// the language switch (zh-CN first; English on request, remembered).
import './public.css';

export function lang() {
  try { return localStorage.getItem('duban.lang') === 'en' ? 'en' : 'zh'; } catch { return 'zh'; }
}

// Texts carrying data-t take dict[lang][key]; t() gives one for scripts.
export function i18n(dict, onSwitch) {
  const apply = () => {
    const l = lang();
    document.documentElement.lang = l === 'en' ? 'en' : 'zh-CN';
    for (const el of document.querySelectorAll('[data-t]')) {
      const s = dict[l][el.dataset.t];
      if (s) el.textContent = s;
    }
    document.getElementById('lang').textContent = l === 'en' ? '中文' : 'EN';
    if (dict[l].title) document.title = dict[l].title;
    if (onSwitch) onSwitch();
  };
  dict.zh = dict.zh || {};
  for (const el of document.querySelectorAll('[data-t]')) dict.zh[el.dataset.t] ??= el.textContent;
  document.getElementById('lang').addEventListener('click', () => {
    try { localStorage.setItem('duban.lang', lang() === 'en' ? 'zh' : 'en'); } catch { /* private mode */ }
    apply();
  });
  apply();
  return (key) => dict[lang()][key] ?? dict.zh[key] ?? key;
}

// JSON in, JSON out; a failure carries status, the error's field and code.
export async function call(method, path, body) {
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
      credentials: 'same-origin',
    });
  } catch {
    throw Object.assign(new Error('network'), { status: 0 });
  }
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const e = data.error || {};
    throw Object.assign(new Error(e.message || res.statusText), {
      status: res.status, field: e.field, code: e.code, retry: res.headers.get('Retry-After'),
    });
  }
  return data;
}

export const $ = (id) => document.getElementById(id);
export function show(el, on) { el.hidden = !on; }
