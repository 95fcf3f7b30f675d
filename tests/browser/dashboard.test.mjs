// 统计: the dashboard's charts drawn with the data the API gives — the
// options read back from the ECharts instances and compared with
// /api/v1/stats and /api/v1/stats/breakdown; rates shown with one decimal;
// each kind ranked apart; at both widths, within the CSP.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, login, newPage, shot, startBrowser, startServer } from './harness.mjs';
import { sheetRows } from './xlsx.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  server.cli('config', 'set', 'rank_min_dispatched', '3');
  browser = await startBrowser();
});
after(async () => { await browser?.close(); await server?.stop(); });

// ranked first, by rank; equal ranks by volume, then code (the page's and the workbook's order)
const byRank = (a, b) => (a.rank === null) - (b.rank === null) || (a.rank ?? 0) - (b.rank ?? 0) ||
  b.dispatched - a.dispatched || (a.unit.code < b.unit.code ? -1 : 1);

const option = (page, name) => page.evaluate((n) => {
  const o = document.querySelector(`[data-chart=${n}]`).__chart.getOption();
  return JSON.parse(JSON.stringify({ x: o.xAxis, y: o.yAxis, series: o.series.map((s) => ({ type: s.type, name: s.name, data: s.data })) }));
}, name);

test('the charts draw what the API gives', async () => {
  for (const [name, vp] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await newPage(browser, vp);
    await login(page, server.url, 'leader');
    await page.goto(`${server.url}/dashboard`);
    await page.waitForSelector('.dash[data-loaded=true]');
    await page.waitForTimeout(300); // the charts' first frame
    const range = await page.$$eval('.el-range-input', (els) => els.map((e) => e.value));
    const end = new Date(`${range[1]}T00:00:00Z`);
    end.setUTCDate(end.getUTCDate() + 1);
    const q = `from=${range[0]}&to=${end.toISOString().slice(0, 10)}`;
    const [stats, bd] = await page.evaluate(async (qs) => Promise.all([
      (await fetch(`/api/v1/stats?${qs}`)).json(), (await fetch(`/api/v1/stats/breakdown?${qs}`)).json()]), q);

    // the ranking: departments ranked by composite, first at the top, one decimal
    const rank = await option(page, 'rank');
    const depts = stats.units.filter((u) => u.kind === 'dept' && u.rank !== null).sort(byRank);
    assert.ok(depts.length >= 3, 'the demo has ranked departments');
    assert.deepEqual(rank.y[0].data, depts.map((u) => `${u.rank}. ${u.unit.name}`).reverse());
    assert.deepEqual(rank.series[0].data, depts.map((u) => Math.round(u.composite * 1000) / 10).reverse());
    // the table shows every department, the unranked with a dash, rates with one decimal
    const cells = await page.$$eval('.ranking .el-table__body tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
    assert.equal(cells.length, stats.units.filter((u) => u.kind === 'dept').length);
    for (const row of cells) for (const c of row.slice(3, 7)) assert.match(c, /^(\d{1,3}\.\d%|—)$/);
    assert.equal(cells[0][0], '1');
    // the townships, ranked apart
    await page.click('[data-group] label:nth-child(2)');
    await page.waitForTimeout(200);
    const towns = stats.units.filter((u) => u.kind === 'township' && u.rank !== null).sort(byRank);
    assert.deepEqual((await option(page, 'rank')).y[0].data, towns.map((u) => `${u.rank}. ${u.unit.name}`).reverse());

    // the monthly trend, the channels, the heat map
    const trend = await option(page, 'trend');
    assert.deepEqual(trend.x[0].data, bd.by_month.map((m) => m.month));
    assert.deepEqual(trend.series[0].data, bd.by_month.map((m) => m.received));
    assert.deepEqual(trend.series[1].data, bd.by_month.map((m) => m.resolved));
    const channel = await option(page, 'channel');
    assert.deepEqual(channel.series[0].data.map((d) => [d.name, d.value]),
      bd.by_channel.filter((c) => c.n > 0).map((c) => [c.label, c.n]));
    const heat = await option(page, 'heat');
    assert.equal(heat.series[0].data.reduce((s, d) => s + d[2], 0) + bd.heat.unplaced, bd.received);
    assert.deepEqual(heat.y[0].data, bd.heat.categories.map((c) => c.name));
    const overdue = await option(page, 'overdue');
    assert.equal(overdue.series[0].data.reduce((a, b) => a + b, 0),
      stats.units.filter((u) => u.overdue > 0).sort((a, b) => b.overdue - a.overdue).slice(0, 15).reduce((s, u) => s + u.overdue, 0));
    // the figures on top
    assert.equal(await page.textContent('[data-kpi=received] .el-statistic__content'), String(bd.received));
    assert.equal((await page.textContent('[data-kpi=satisfaction_rate] .el-statistic__content')).trim(),
      stats.total.satisfaction_rate === null ? '—' : `${(stats.total.satisfaction_rate * 100).toFixed(1)}%`);
    await page.click('[data-group] label:nth-child(1)');
    await page.waitForTimeout(300);
    await shot(page, `dashboard-${name}`);
    for (const chart of ['trend', 'heat']) { // the charts below the fold
      await page.evaluate((c) => document.querySelector(`[data-chart=${c}]`).scrollIntoView(), chart);
      await page.waitForTimeout(200);
      await shot(page, `dashboard-${name}-${chart}`);
    }
    assert.deepEqual(page.cspViolations, []);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  }
});

test('the ranking table exported to Excel holds the ranks and rates the API gives', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'dispatcher');
  await page.goto(`${server.url}/dashboard`);
  await page.waitForSelector('.dash[data-loaded=true]');
  const href = await page.getAttribute('[data-export-ranking]', 'href');
  const [bytes, stats] = await page.evaluate(async (h) => {
    const buf = new Uint8Array(await (await fetch(h)).arrayBuffer());
    return [Array.from(buf), await (await fetch(h.replace('/stats/export', '/stats'))).json()];
  }, href);
  const rows = sheetRows(Buffer.from(bytes));
  assert.deepEqual(rows[0].slice(0, 3), ['名次', '单位', '交办']);
  const depts = stats.units.filter((u) => u.kind === 'dept').sort(byRank);
  assert.equal(rows.length - 1, depts.length);
  depts.forEach((u, i) => {
    const r = rows[i + 1];
    assert.equal(r[0], u.rank === null ? '不排名' : String(u.rank));
    assert.equal(r[1], u.unit.name);
    assert.equal(Number(r[2]), u.dispatched);
    if (u.composite !== null) assert.ok(Math.abs(Number(r[9]) - u.composite) < 1e-9, `${u.unit.name} composite`);
  });
  await page.context().close();
});

test('a clerk has no dashboard in the menu', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'cgj.clerk');
  assert.equal(await page.locator('.el-menu-item:has-text("统计")').count(), 0);
  await page.context().close();
});
