// 案件查询: filters and pages in the browser give the rows the API gives.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, login, newPage, shot, startBrowser, startServer } from './harness.mjs';

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
    await page.waitForTimeout(300);
    assert.deepEqual(await shown(page), await fromApi(page, 'limit=20&sort=newest&status=closed'));
    await shot(page, `search-${name}`);
    assert.deepEqual(page.cspViolations, []);
    await page.context().close();
  }
});
