// The 通报 workbook checked as a leader would receive it: its sheets, each
// with a title row naming the period and a frozen header; the rankings in
// the order and with the figures GET /bulletin gives; percentages kept as
// numbers formatted as percentages.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, apiAs, login, newPage, shot, startBrowser, startServer } from './harness.mjs';
import { sheetNames, sheetRows, sheetXml, unzip } from './xlsx.mjs';

// The 通报's rates by their JSON keys and the labels the workbook and the
// print head them with: a rate the JSON gains without a label fails here.
const RATE_LABELS = {
  accept_rate: '按时签收率', feedback_rate: '按时反馈率', resolve_rate: '办结率', ontime_resolve_rate: '按期办结率',
  solve_rate: '解决率', satisfaction_rate: '满意率', reopen_rate: '重办率', extension_rate: '延期率', return_rate: '退单率',
  composite: '综合',
};
const rateKeys = (u) => Object.keys(u).filter((k) => k.endsWith('_rate') || k === 'composite');

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('the month\'s 通报 as XLSX holds what the API gives', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'leader');
  const month = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);
  const api = (await apiAs(page, 'GET', `/bulletin?month=${month}`)).body;
  const b64 = await page.evaluate(async (m) => {
    const r = await fetch(`/api/v1/bulletin/export?month=${m}`);
    if (!r.ok) throw new Error(`export ${r.status}`);
    const bytes = new Uint8Array(await r.arrayBuffer());
    let s = '';
    for (const x of bytes) s += String.fromCharCode(x);
    return btoa(s);
  }, month);
  const buf = Buffer.from(b64, 'base64');
  assert.deepEqual(sheetNames(buf), ['概览', '市直部门排名', '乡镇街道排名', '渠道与紧急程度', '高频问题', '码上评', '建议提案', '综合考评']);
  for (let n = 1; n <= 8; n++) {
    const rows = sheetRows(buf, n);
    assert.match(rows[0][0], new RegExp(`${month}-01 至 ${month}-\\d\\d（制表 `), `sheet ${n}'s title`);
    assert.match(sheetXml(buf, n), /<pane [^>]*ySplit="2"[^>]*state="frozen"/, `sheet ${n}'s frozen header`);
  }
  assert.match(unzip(buf)['xl/styles.xml'].toString('utf8'), /formatCode="0\.0%"/);
  // the rankings: every unit of the group, in the API's order, rank, volume and composite
  for (const [n, g] of [[2, api.groups[0]], [3, api.groups[1]]]) {
    const head = sheetRows(buf, n)[1];
    const rows = sheetRows(buf, n).slice(2);
    assert.equal(rows.length, g.units.length);
    g.units.forEach((u, i) => {
      assert.equal(rows[i][1], u.unit.name);
      assert.equal(rows[i][0], u.rank === null ? '不排名' : String(u.rank));
      assert.equal(Number(rows[i][2]), u.dispatched);
      // every rate the JSON has is a column of its own, with the JSON's value
      for (const key of rateKeys(u)) {
        const col = head.indexOf(RATE_LABELS[key]);
        assert.ok(col > 2, `${RATE_LABELS[key] || key} is a column of the workbook`);
        if (u[key] === null) assert.equal(rows[i][col], '—', `${u.unit.name} ${key}`);
        else assert.ok(Math.abs(Number(rows[i][col]) - u[key]) < 1e-6, `${u.unit.name} ${key}`);
      }
      assert.equal(rows[i][head.indexOf('升降')] ?? '', u.trend === 'up' ? '↑' : u.trend === 'down' ? '↓' : u.trend === 'same' ? '→' : '');
    });
  }
  // the categories most asked about, in order, with their counts
  const top = sheetRows(buf, 5).slice(2);
  assert.equal(top.length, api.top_categories.length);
  api.top_categories.forEach((c, i) => {
    assert.equal(top[i][1], c.category.name);
    assert.equal(Number(top[i][2]), c.n);
  });
  // each listable rate opens to its cases: a link to the page's drill-down, the rate kept as a number
  const rankXml = sheetXml(buf, 2);
  const link = /<f>HYPERLINK\("([^"]+)",([^)]+)\)<\/f>/.exec(rankXml.replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
  assert.ok(link, 'a rate with its link');
  const url = new URL(link[1]);
  assert.equal(url.pathname, '/bulletin');
  assert.equal(url.searchParams.get('month'), month);
  // as of the workbook's own moment, so that its cases are the ones counted (this month's: now, when each
  // was made, seconds apart)
  assert.ok(Math.abs(new Date(url.searchParams.get('at')).getTime() - new Date(api.at).getTime()) < 120e3);
  const linked = api.groups[0].units.find((x) => x.unit.code === url.searchParams.get('unit'));
  assert.ok(Math.abs(Number(link[2]) - linked[url.searchParams.get('figure')]) < 1e-6); // the API's six decimals
  // 人大建议 and 政协提案: the total row is the API's
  const total = sheetRows(buf, 7).find((r) => r[0] === '合计');
  assert.deepEqual(total.slice(1, 8).map(Number), [api.proposals.deputy, api.proposals.cppcc, api.proposals.answered,
    api.proposals.A, api.proposals.B, api.proposals.C, api.proposals.D]);
  // 综合考评: every unit with its score, the ranked in rank order within each group
  const appraisal = sheetRows(buf, 8).slice(2).filter((r) => r[1]);
  const units = api.groups.flatMap((g) => g.units);
  assert.equal(appraisal.filter((r) => r[2] === '市直部门' || r[2] === '乡镇街道').length, units.length);
  for (const r of appraisal.filter((x) => x[0] !== '不排名' && (x[2] === '市直部门' || x[2] === '乡镇街道'))) {
    const u = units.find((x) => x.unit.name === r[1]);
    assert.equal(Number(r[0]), u.appraisal.rank, `${r[1]} rank`);
    assert.ok(Math.abs(Number(r[3]) - u.appraisal.score) < 1e-6, `${r[1]} score`);
  }
  // the overview's intake is the API's
  const overview = sheetRows(buf, 1);
  assert.equal(Number(overview.find((r) => r[0] === '受理诉求（件）')[1]), api.received);
  // a clerk may not have it
  await page.context().close();
  const clerk = await newPage(browser, DESKTOP);
  await login(clerk, server.url, 'cgj.clerk');
  assert.equal(await clerk.evaluate(async (m) => (await fetch(`/api/v1/bulletin/export?month=${m}`)).status, month), 403);
  await clerk.context().close();
});

test('the 通报 printed: a section a page, the best and the worst named as the API names them', async () => {
  const month = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);
  for (const [name, vp] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await newPage(browser, vp);
    await login(page, server.url, 'dispatcher');
    const api = (await apiAs(page, 'GET', `/bulletin?month=${month}`)).body;
    await page.goto(`${server.url}/api/v1/bulletin/print?month=${month}`);
    await page.waitForSelector('h1');
    assert.equal(await page.textContent('h1'), '诉求办理情况通报');
    for (const g of api.groups) {
      const sel = `section[data-group=${g.kind}]`;
      assert.equal(await page.$$eval(`${sel} tbody tr`, (r) => r.length), g.units.length);
      const names = await page.$$eval(`${sel} tbody td.name`, (t) => t.map((x) => x.textContent));
      assert.deepEqual(names, g.units.map((u) => u.unit.name));
      // every rate the JSON has, each unit's within the print's rounding
      const head = await page.$$eval(`${sel} thead th`, (t) => t.map((x) => x.textContent));
      const cells = await page.$$eval(`${sel} tbody tr`, (r) => r.map((tr) => [...tr.children].map((td) => td.textContent)));
      g.units.forEach((u, i) => {
        assert.equal(cells[i].length, head.length);
        for (const key of rateKeys(u)) {
          const col = head.indexOf(RATE_LABELS[key]);
          assert.ok(col > 2, `${RATE_LABELS[key] || key} is printed`);
          if (u[key] === null) assert.equal(cells[i][col], '—');
          else assert.ok(Math.abs(parseFloat(cells[i][col]) - 100 * u[key]) <= 0.051, `${u.unit.name} ${key} printed ${cells[i][col]}`);
        }
      });
      if (g.best) assert.equal(await page.textContent(`${sel} [data-best]`), g.best.name);
      if (g.worst) assert.equal(await page.textContent(`${sel} [data-worst]`), g.worst.name);
    }
    assert.equal(await page.$$eval('tr[data-category]', (r) => r.length), api.top_categories.length);
    await shot(page, `bulletin-print-${name}`);
    if (name === 'desktop') { // printed by Chromium: A4 landscape, a page per section at least
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
      assert.ok(pages >= 6, `${pages} pages`);
    }
    assert.deepEqual(page.cspViolations, []);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  }
});

test('a link from the workbook opens the unit\'s rate to its cases', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'leader');
  const month = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);
  const api = (await apiAs(page, 'GET', `/bulletin?month=${month}`)).body;
  const u = api.groups[0].units.find((x) => x.resolve_rate !== null);
  const at = encodeURIComponent(api.at);
  await page.goto(`${server.url}/bulletin?month=${month}&at=${at}&unit=${u.unit.code}&figure=resolve_rate`);
  await page.waitForSelector('.drill .drill-cases');
  assert.match(await page.textContent('.el-dialog__title'), new RegExp(`${u.unit.name} · 办结率`));
  // the cases behind the figure, as of the same moment: as many as it counted
  const want = `${u.resolved} 件`;
  await page.waitForFunction((w) => document.querySelector('[data-count]')?.textContent === w, want, { timeout: 10000 })
    .catch(() => {});
  assert.equal(await page.textContent('[data-count]'), want);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('通报 page: the month\'s rankings as the API gives them, with the workbook and the print a click away', async () => {
  const month = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);
  for (const [name, vp] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const page = await newPage(browser, vp);
    await login(page, server.url, 'leader');
    await page.click(vp === PHONE ? '.burger' : '.aside .el-menu-item:has-text("通报")');
    if (vp === PHONE) await page.click('.el-drawer .el-menu-item:has-text("通报")');
    await page.waitForURL(/\/bulletin/);
    await page.waitForSelector('[data-loaded=true] .ranking');
    const api = (await apiAs(page, 'GET', `/bulletin?month=${month}`)).body;
    for (const g of api.groups) {
      const names = await page.$$eval(`[data-group=${g.kind}] .ranking .el-table__body tr`,
        (rows) => rows.map((r) => r.querySelectorAll('td')[1].textContent.trim()));
      assert.deepEqual(names, g.units.map((u) => u.unit.name));
      const trends = await page.$$eval(`[data-group=${g.kind}] [data-trend]`, (x) => x.map((e) => e.dataset.trend));
      assert.deepEqual(trends, g.units.map((u) => u.trend ?? 'none'));
      if (g.best) assert.equal(await page.textContent(`[data-group=${g.kind}] [data-best]`), g.best.name);
    }
    assert.equal(await page.textContent('[data-figure=received] .value'), String(api.received));
    // 综合考评 (市直部门, the first tab): every unit's score as the API gives it
    const pctOf = (r) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
    for (const x of api.groups[0].units)
      assert.equal((await page.textContent(`[data-appraisal] [data-score="${x.unit.code}"]`)).trim(), pctOf(x.appraisal.score));
    // a doubted rate opened to its cases: as many as /stats/cases counts, each way
    const u = api.groups[0].units.find((x) => x.resolve_rate !== null);
    await page.click(`[data-rate="${u.unit.code}-resolve_rate"]`);
    await page.waitForSelector('.drill .drill-cases');
    for (const part of ['numerator', 'denominator']) {
      if (part === 'denominator') await page.click('.drill [data-part=denominator]');
      const q = new URLSearchParams({ unit: u.unit.code, from: api.from.slice(0, 10), to: api.to.slice(0, 10),
        figure: 'resolve_rate', part });
      const want = (await apiAs(page, 'GET', `/stats/cases?${q}`)).body;
      assert.equal(want.count, part === 'numerator' ? u.resolved : u.due);
      await page.waitForFunction((n) => document.querySelector('.drill [data-count]').textContent.startsWith(`${n} `), want.count);
      // each case as many times as it counts there (due again after a 重办): the figure, when all are listed
      if (want.cases.length < 200) assert.equal(want.cases.reduce((n, c) => n + c.counts_times, 0), want.count);
      await page.waitForFunction((n) => document.querySelectorAll('.drill .drill-cases .el-table__body tr').length === n,
        want.cases.length);
    }
    if (name === 'desktop') await shot(page, 'bulletin-cases-desktop');
    await page.click('.drill .el-dialog__headerbtn');
    // the workbook and the print as of the page's own moment, which it names
    // (this month's: now, when the page was loaded, seconds before the API was asked here)
    const exportHref = await page.getAttribute('[data-export]', 'href');
    const asOf = new URL(exportHref, server.url).searchParams.get('at');
    assert.ok(Math.abs(new Date(asOf).getTime() - new Date(api.at).getTime()) < 120e3, exportHref);
    assert.equal(exportHref, `/api/v1/bulletin/export?month=${month}&at=${encodeURIComponent(asOf)}`);
    assert.equal(await page.getAttribute('[data-print]', 'href'), `/api/v1/bulletin/print?month=${month}&at=${encodeURIComponent(asOf)}`);
    assert.match(await page.textContent('[data-as-of]'), /数据截至 \d{4}-\d\d-\d\d \d\d:\d\d/);
    await shot(page, `bulletin-${name}`);
    assert.deepEqual(page.cspViolations, []);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  }
});

test('the 督查室 publishes the month as issue 1, then a correction as issue 2; the list links each as published', async () => {
  const month = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);
  const leader = await newPage(browser, DESKTOP);
  await login(leader, server.url, 'leader');
  await leader.goto(`${server.url}/bulletin`);
  await leader.waitForSelector('[data-loaded=true] .ranking');
  assert.equal(await leader.$$eval('[data-publish]', (b) => b.length), 0, 'a leader reads, the 督查室 publishes');
  await leader.context().close();
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'dispatcher');
  await page.goto(`${server.url}/bulletin`);
  await page.waitForSelector('[data-loaded=true] .ranking');
  await page.click('[data-publish]');
  await page.click('[data-publish-send]');
  await page.waitForSelector('[data-issues] [data-issue-print="1"]');
  // a correction without saying what it corrects is refused beside the note
  await page.click('[data-publish]');
  await page.click('[data-corrects]');
  await page.click('.el-select-dropdown__item:visible:has-text("第 1 期")');
  await page.click('[data-publish-send]');
  await page.waitForSelector('.el-dialog .el-form-item__error:has-text("请写明更正了什么")');
  await page.fill('.el-dialog textarea[name=note]', '补录来电1件，受理数据更正');
  await page.click('[data-publish-send]');
  await page.waitForSelector('[data-issues] [data-issue-print="2"]');
  const issues = (await apiAs(page, 'GET', '/bulletins')).body.issues;
  assert.deepEqual(issues.map((i) => [i.no, i.corrects]), [[2, 1], [1, null]]);
  assert.equal(issues[0].from.slice(0, 7), month);
  assert.equal(await page.getAttribute('[data-issue-print="2"]', 'href'), '/api/v1/bulletins/2/print');
  await shot(page, 'bulletin-issues-desktop');
  const printed = await page.context().newPage();
  await printed.goto(`${server.url}/api/v1/bulletins/2/print`);
  assert.match(await printed.textContent('.correction'), /本期更正第 1 期：补录来电1件，受理数据更正/);
  assert.equal(await printed.textContent('[data-issue]'), '第 2 期');
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});
