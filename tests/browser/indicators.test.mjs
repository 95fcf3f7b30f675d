// 1+10+N's "1" in the browser: each indicator's card is what the API gives
// (target, latest, status, demo marked), its chart draws the year's
// actuals; the seeds' years show their stated figures uncompared; the
// 督查室 enters a value and imports a file, a bad one refused row by row.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, apiAs, login, newPage, shot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

const cards = (page) => page.$$eval('[data-indicator]', (cs) => cs.map((c) => ({
  code: c.dataset.indicator, target: c.querySelector('[data-target]').textContent.trim(),
  latest: c.querySelector('[data-latest]').textContent.trim(), status: c.querySelector('[data-status]').dataset.status,
  demo: !!c.querySelector('[data-demo]'),
})));
const pct = (v) => (v === null || v === undefined ? '—' : `${v}%`);

test('the indicators as the API gives them, the seeds\' years as stated', async () => {
  for (const [name, vp] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await newPage(browser, vp);
    await login(page, server.url, 'leader');
    await page.goto(`${server.url}/indicators`);
    await page.waitForSelector('[data-loaded=true] [data-indicator]');
    const api = (await apiAs(page, 'GET', '/indicators')).body;
    assert.deepEqual(await cards(page), api.indicators.map((x) => ({
      code: x.code, target: pct(x.target?.value), latest: pct(x.latest?.value), status: x.status,
      demo: !!(x.target?.demo || x.actuals.some((a) => a.demo)),
    })));
    assert.ok(api.indicators.some((x) => x.status !== 'no_data'), 'the demo year compares');
    const drawn = await page.$eval('[data-chart=indicator]', (el) => el.__chart.getOption().series[0].data);
    assert.deepEqual(drawn, api.indicators[0].actuals.map((a) => a.value));
    await shot(page, `indicators-${name}`);
    if (name === 'desktop') {
      await page.click('[data-year]');
      await page.click('.el-select-dropdown__item:visible:has-text("2023")');
      await page.waitForFunction(() => document.querySelector('[data-indicator=gdp] [data-target]').textContent.includes('7%'));
      const gdp = (await cards(page)).find((c) => c.code === 'gdp');
      assert.deepEqual(gdp, { code: 'gdp', target: '7%', latest: '—', status: 'no_data', demo: false });
      assert.match(await page.textContent('[data-indicator=gdp]'), /2023年政府工作报告/);
    }
    assert.deepEqual(page.cspViolations, []);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  }
});

test('the 督查室 enters a value and imports a file; a bad file is refused row by row', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'dispatcher');
  await page.goto(`${server.url}/indicators?`);
  await page.waitForSelector('[data-loaded=true] [data-indicator]');
  await page.click('[data-enter]');
  await page.click('.el-dialog .el-radio:has-text("年度目标")');
  await page.fill('.el-dialog input[name=period]', '2021');
  await page.fill('.el-dialog .el-input-number input', '6.5');
  await page.click('.el-dialog [data-save]');
  await page.waitForSelector('.el-dialog [data-save]', { state: 'hidden' });
  const y2021 = (await apiAs(page, 'GET', '/indicators?year=2021')).body;
  assert.equal(y2021.indicators.find((x) => x.code === 'gdp').target.value, 6.5);
  // a bad file: rows 3 and 4 named, nothing written
  const bad = '指标,类型,期间,增速\ngdp,实际,2021-06,6.8\ngdp,实际,2021-13,1\n火星产值,实际,2021,1\n';
  await page.setInputFiles('[data-import] input[type=file]', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.waitForSelector('[data-bad-rows]');
  const rows = await page.$$eval('[data-bad-rows] .el-table__body tr td:first-child', (tds) => tds.map((td) => td.textContent.trim()));
  assert.deepEqual(rows, ['3', '4']);
  await shot(page, 'indicators-bad-import-desktop');
  assert.equal((await apiAs(page, 'GET', '/indicators?year=2021')).body.indicators.find((x) => x.code === 'gdp').actuals.length, 0);
  const good = '指标,类型,期间,增速\n地区生产总值,实际,2021-06,6.8\n';
  await page.setInputFiles('[data-import] input[type=file]', { name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.waitForSelector('[data-bad-rows]', { state: 'detached' });
  await page.waitForTimeout(300);
  assert.equal((await apiAs(page, 'GET', '/indicators?year=2021')).body.indicators.find((x) => x.code === 'gdp').latest.value, 6.8);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});
