// 案件查询: filters and pages in the browser give the rows the API gives.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, login, newPage, shot, startBrowser, startServer } from './harness.mjs';
import { sheetRows } from './xlsx.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

const shown = (page) => page.$$eval('.results .el-table__body tr a.no', (as) => as.map((a) => a.textContent.trim()));
const fromApi = (page, q) => page.evaluate(async (qs) =>
  (await (await fetch(`/api/v1/cases?${qs}`)).json()).cases.map((c) => c.case_no), q);

test('filters and pages give what the API gives', async () => {
  for (const [name, vp] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await newPage(browser, vp);
    await login(page, server.url, 'dispatcher');
    await page.goto(`${server.url}/search`);
    await page.waitForSelector('.results .el-table__body tr a.no');
    assert.deepEqual(await shown(page), await fromApi(page, 'limit=20&sort=newest'));
    // the second page starts where the API's cursor says
    await page.click('.el-pagination .btn-next');
    await page.waitForFunction(() => document.querySelector('.at').textContent.includes('2'));
    await page.waitForSelector('.results .el-table__body tr a.no');
    const first = await fromApi(page, 'limit=20&sort=newest');
    const second = await page.evaluate(async () => {
      const a = await (await fetch('/api/v1/cases?limit=20&sort=newest')).json();
      return (await (await fetch(`/api/v1/cases?limit=20&sort=newest&cursor=${a.next_cursor}`)).json()).cases.map((c) => c.case_no);
    });
    assert.notDeepEqual(second, first);
    assert.deepEqual(await shown(page), second);
    // a status filter
    await page.click('.filters .el-select >> nth=0');
    await page.click('.el-select-dropdown__item:visible:has-text("已销号")');
    await page.click('[data-search]');
    await page.waitForFunction(() => document.querySelector('.at').textContent.includes('1'));
    // the filtered rows, once they have replaced the others (a loaded machine answers late)
    const closed = await fromApi(page, 'limit=20&sort=newest&status=closed');
    await page.waitForFunction((want) => [...document.querySelectorAll('.results .el-table__body tr a.no')]
      .map((a) => a.textContent.trim()).join() === want.join(), closed).catch(() => {});
    assert.deepEqual(await shown(page), closed);
    await shot(page, `search-${name}`);
    assert.deepEqual(page.cspViolations, []);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  }
});

test('the filtered list exported to Excel: the workbook holds the rows the API gives', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'dispatcher');
  await page.goto(`${server.url}/search`);
  await page.waitForSelector('.results .el-table__body tr a.no');
  await page.click('.filters .el-select >> nth=1'); // 渠道
  await page.click('.el-select-dropdown__item:visible:has-text("12345热线")');
  await page.click('[data-search]');
  await page.waitForTimeout(300);
  await page.click('[data-export]');
  await page.waitForSelector('.export[data-status=done]', { timeout: 20000 });
  assert.match(await page.textContent('.export'), /已导出 \d+ 件/);
  await shot(page, 'search-export-desktop');
  const href = await page.getAttribute('[data-download]', 'href');
  const [bytes, api] = await page.evaluate(async (h) => {
    const buf = new Uint8Array(await (await fetch(h)).arrayBuffer());
    const all = [];
    for (let cursor = '', i = 0; i < 50; i++) {
      const r = await (await fetch(`/api/v1/cases?channel=hotline&sort=newest&limit=200${cursor ? `&cursor=${cursor}` : ''}`)).json();
      all.push(...r.cases.map((c) => [c.case_no, c.title, c.status_label, c.lead_unit ? c.lead_unit.name : '']));
      if (!r.next_cursor) break;
      cursor = r.next_cursor;
    }
    return [Array.from(buf), all];
  }, href);
  const rows = sheetRows(Buffer.from(bytes));
  assert.deepEqual(rows[0].slice(0, 3), ['受理编号', '受理时间', '渠道']);
  const body = rows.slice(1);
  assert.equal(body.length, api.length);
  assert.ok(api.length > 10);
  for (let i = 0; i < api.length; i++) {
    assert.equal(body[i][0], api[i][0]);
    assert.equal(body[i][2], '12345热线');
    assert.equal(body[i][5], api[i][2]);
    assert.equal(body[i][6], api[i][1]);
    assert.equal(body[i][9] || '', api[i][3]);
    assert.doesNotMatch(body[i][12] || '', /^1\d{10}$/, 'phones masked');
  }
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});
