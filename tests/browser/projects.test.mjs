// 三个一批 and the 三十工程 in the browser: the year's projects as the API
// gives them, each coloured by the stated rule, the totals by level; the
// weekly bulletin's workbook and print page hold the same rows; the 督查室
// reports a month with a problem raised as a case; a bad import is refused
// row by row.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, apiAs, login, newPage, shot, startBrowser, startServer } from './harness.mjs';
import { sheetRows } from './xlsx.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

const pct = (r) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

test('the projects page, its workbook and its print page agree with the API', async () => {
  for (const [name, vp] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await newPage(browser, vp);
    await login(page, server.url, 'leader');
    await page.goto(`${server.url}/projects`);
    await page.waitForSelector('[data-loaded=true] [data-project]');
    const api = (await apiAs(page, 'GET', '/projects')).body;
    // the page opens on the year the demo ends in (today's), not on the seeds' 2023
    assert.equal(api.year, new Date(Date.now() + 8 * 3600e3).getUTCFullYear());
    assert.ok(api.years.includes(2023) && api.years.includes(2024));
    assert.equal(api.projects.length, 30);
    const shown = await page.$$eval('.list .el-table__body tr', (trs) => trs.map((tr) => [
      Number(tr.querySelector('[data-project]').dataset.project), tr.querySelector('[data-rag]').dataset.rag,
      tr.querySelector('[data-rag]').textContent.trim()]));
    assert.deepEqual(shown, api.projects.map((p) => [p.id, p.rag, pct(p.completion)]));
    assert.equal((await page.textContent('[data-level=all] [data-completion]')).trim(), pct(api.total.completion));
    assert.match(await page.textContent('[data-rule]'), new RegExp(`时间进度 ${pct(api.gone).replace('.', '\\.')}`));
    await shot(page, `projects-${name}`);
    if (name === 'desktop') {
      const href = await page.getAttribute('[data-export]', 'href');
      const bytes = await page.evaluate(async (h) => Array.from(new Uint8Array(await (await fetch(h)).arrayBuffer())), href);
      const rows = sheetRows(Buffer.from(bytes)).slice(2, 32);
      const labels = { green: '绿', yellow: '黄', red: '红' };
      assert.deepEqual(rows.map((r) => [r[1], r[11]]), api.projects.map((p) => [p.name, labels[p.rag]]));
      const print = await page.context().newPage();
      await print.goto(`${server.url}${await page.getAttribute('[data-print]', 'href')}`);
      assert.equal((await print.$$('tr[data-project]')).length, 30);
      const rags = await print.$$eval('[data-rag]', (xs) => xs.map((x) => x.dataset.rag));
      assert.deepEqual(rags, api.projects.map((p) => p.rag));
      const pdf = await print.pdf({ format: 'A4', landscape: true });
      assert.ok(pdf.length > 10000);
      await print.screenshot({ path: 'build/test/screenshots/projects-print-desktop.png', fullPage: true });
    }
    assert.deepEqual(page.cspViolations, []);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  }
});

test('the 督查室 reports a month and raises its problem; a bad import is refused row by row', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'dispatcher');
  await page.goto(`${server.url}/projects`);
  await page.waitForSelector('[data-loaded=true] [data-report]');
  const year = (await apiAs(page, 'GET', '/projects')).body;
  const first = year.projects[0];
  await page.click(`[data-report="${first.id}"]`);
  await page.fill('.el-dialog [data-month] input, .el-dialog input[data-month], .el-dialog .el-date-editor input',
    first.last.month || `${year.year}-01`); // its latest month, reported again
  await page.keyboard.press('Enter');
  await page.fill('.el-dialog .el-input-number input', '100');
  await page.fill('.el-dialog textarea[name=problems]', '用地指标待调整');
  await page.click('.el-dialog [data-raise]');
  await page.click('.el-dialog [data-save]');
  await page.waitForSelector('.el-message--success');
  assert.match(await page.textContent('.el-message--success'), /问题已转为督办件 MZ/);
  const after = (await apiAs(page, 'GET', '/projects')).body.projects.find((p) => p.id === first.id);
  assert.equal(after.problems, 1);
  assert.equal(after.last.problems, '用地指标待调整');
  const bad = '项目名称,类别,级别,责任单位,总投资,年度计划投资\n新项目,工业,市重点,gxj,100,50\n坏项目,化工,市重点,gxj,100,50\n';
  await page.setInputFiles('[data-import] input[type=file]', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.waitForSelector('[data-bad-rows]');
  assert.deepEqual(await page.$$eval('[data-bad-rows] .el-table__body tr td:first-child', (tds) => tds.map((td) => td.textContent.trim())), ['3']);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});
