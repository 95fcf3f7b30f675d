// The English switch covers the staff interface: every text the pages pass
// to t() has its English (with the same {values}), and each page, opened in
// English by the role that uses it, shows no Chinese in its labels, buttons,
// headings, tabs and menus (what the data says — a unit's name, a case's
// title — stays as it was written).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { en } from '../../ui/src/lang/en.js';
import { DESKTOP, PHONE, apiAs, login, newPage, shot, startBrowser, startServer } from './harness.mjs';

const HAN = /[\u4e00-\u9fff]/;
const files = (d) => readdirSync(d).flatMap((n) => {
  const p = join(d, n);
  return statSync(p).isDirectory() ? (n === 'public' ? [] : files(p)) : [p];
});

test('every text the staff pages pass to t() has its English', () => {
  const keys = new Set();
  for (const f of files('ui/src').filter((x) => /\.(vue|js)$/.test(x) && !x.includes('/lang/')))
    for (const m of readFileSync(f, 'utf8').matchAll(/\bt\('((?:[^'\\]|\\.)*)'/g)) keys.add(m[1]);
  assert.ok(keys.size > 300, `only ${keys.size} texts found`);
  const missing = [...keys].filter((k) => HAN.test(k) && !(k in en));
  assert.deepEqual(missing, []);
  for (const k of keys) {
    if (!(k in en)) continue;
    const vars = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(vars(en[k]), vars(k), `the values of '${k}'`);
  }
});

// A page that imports t() and names something else t (a deadline, a
// total, a loop variable) breaks where the two meet: none may.
test('nothing in the staff pages hides t() behind another t', () => {
  for (const f of files('ui/src').filter((x) => /\.(vue|js)$/.test(x))) {
    const src = readFileSync(f, 'utf8');
    if (!/import \{[^}]*\bt\b[^}]*\} from '\.\.?\/i18n\.js'/.test(src)) continue;
    const shadow = /\b(?:const|let|var)\s+t\b|[(,[]\s*t\s*[,)\]]|v-for="\(?t\b/.exec(src);
    assert.equal(shadow, null, `${f}: ${shadow && shadow[0]}`);
  }
});

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

// The labels of a page that must not be Chinese in English.
const CHROME = ['.el-form-item__label', '.el-button', '.el-table__header th', '.el-tabs__item', '.el-menu-item',
  '.el-card__header', '.el-radio-button__inner', '.el-checkbox__label', '.el-descriptions__label',
  '.el-empty__description', '.el-statistic__head', '.counter .label', '.el-result__title', '.el-dialog__title',
  '.el-divider__text', '.el-alert__title', '.title', 'h1', 'h2', '.hint', '.note'];

async function chineseIn(page) {
  return page.evaluate(([sel, han]) => {
    const re = new RegExp(han);
    return [...document.querySelectorAll(sel.join(','))]
      .filter((e) => e.offsetParent !== null) // shown
      // the switch back reads 中文; a name in a header or a button is data
      .filter((e) => !e.closest('[data-lang], [data-data]'))
      .map((e) => {
        const c = e.cloneNode(true);
        c.querySelectorAll('[data-data]').forEach((d) => d.remove());
        return c.textContent.trim();
      }).filter((s) => re.test(s));
  }, [CHROME, HAN.source]);
}

test('each staff page in English, by the role that uses it', async () => {
  const pages = {
    dispatcher: ['/workbench', '/notices', '/search', '/intake', '/dashboard', '/bulletin', '/ledger', '/kb', '/points', '/policy',
      '/calendar', '/indicators', '/projects'],
    'cgj.clerk': ['/workbench', '/ledger'],
    operator: ['/workbench'],
    leader: ['/workbench', '/bulletin'],
    admin: ['/reference', '/points', '/policy', '/calendar', '/settings'],
    security: ['/users'],
    auditor: ['/audit'],
  };
  for (const [user, paths] of Object.entries(pages)) {
    const page = await newPage(browser, DESKTOP);
    await page.addInitScript(() => localStorage.setItem('duban.lang', 'en'));
    await login(page, server.url, user);
    for (const p of paths) {
      await page.goto(`${server.url}${p}`);
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(200);
      assert.deepEqual(await chineseIn(page), [], `${user} ${p}`);
      if (p === '/reference') { // every tab
        for (const tab of await page.$$('.el-tabs__item')) {
          await tab.click();
          await page.waitForTimeout(150);
          assert.deepEqual(await chineseIn(page), [], `${user} ${p} ${await tab.innerText()}`);
        }
      }
    }
    if (user === 'dispatcher') { // a case, with an action's dialog open
      const id = (await apiAs(page, 'GET', '/cases?status=accepted&limit=1')).body.cases[0].id;
      await page.goto(`${server.url}/cases/${id}`);
      await page.waitForSelector('.acts .el-button');
      assert.deepEqual(await chineseIn(page), [], `${user} case`);
      for (const [name, vp] of [['phone', PHONE], ['desktop', DESKTOP]]) {
        await page.setViewportSize(vp);
        await shot(page, `case-english-${name}`);
      }
    }
    assert.deepEqual(page.cspViolations, []);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  }
});
