// zh-CN first, English on request: the language chosen (remembered in this
// browser) and t(), which gives a Chinese text's English when English is
// chosen. Keyed by the Chinese itself, so a page is translated by wrapping
// its texts in t() and adding them here; a text with no English stays Chinese.
import { reactive } from 'vue';
import { en } from './lang/en.js';

const stored = (() => { try { return localStorage.getItem('duban.lang'); } catch { return null; } })();
export const i18n = reactive({ lang: stored === 'en' ? 'en' : 'zh' });
document.documentElement.lang = i18n.lang === 'en' ? 'en' : 'zh-CN';

// The page is loaded again in the new language: the labels the modules made
// when they loaded (action names, table headings in script) are then made
// in it too.
export function setLang(lang) {
  i18n.lang = lang === 'en' ? 'en' : 'zh';
  try { localStorage.setItem('duban.lang', i18n.lang); } catch { /* private mode */ }
  window.location.reload();
}



// {name} in a text is filled in from vars, in either language.
export function t(zh, vars) {
  const s = i18n.lang === 'en' ? en[zh] ?? zh : zh;
  return vars ? s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? vars[k] : m)) : s;
}
