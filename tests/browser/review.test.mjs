// 申诉复核 in the browser: a clerk contests a 差评 at its service point and
// an unsatisfied 回访 of its case, giving reasons; the 督查室 finds them in
// its queues and upholds them; the figures the page shows drop by what was
// taken out, as the API says. A burst of ratings held by the burst rule is
// found on the points page and released or discarded there.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, apiAs, login, newPage, shot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

const rowsOf = (page) => page.$$eval('[data-reviews] .el-table__body tr', (trs) => trs.length);

test('a 差评 contested by the unit and upheld by the 督查室 leaves the figures', async () => {
  const clerk = await newPage(browser, PHONE);
  await login(clerk, server.url, 'cgj.clerk');
  await clerk.goto(`${server.url}/points`);
  await clerk.waitForSelector('[data-reviews] [data-appeal]');
  const open = (await apiAs(clerk, 'GET', '/evaluations?bad=true&limit=100')).body.evaluations.filter((e) => !e.review);
  assert.equal(await rowsOf(clerk), open.length);
  const id = open[0].id;
  await clerk.click(`[data-appeal="${id}"]`);
  await clerk.click('.el-dialog [data-send]');
  await clerk.waitForSelector('.el-dialog .el-form-item__error');
  assert.match(await clerk.textContent('.el-dialog .el-form-item__error'), /请写明理由/);
  await clerk.fill('.el-dialog textarea', '评价当日该窗口未开放，系误评');
  await shot(clerk, 'review-appeal-phone');
  await clerk.click('.el-dialog [data-send]');
  await clerk.waitForFunction((i) => !document.querySelector(`[data-appeal="${i}"]`), id);
  const mine = (await apiAs(clerk, 'GET', '/evaluations?review=pending')).body.evaluations;
  assert.ok(mine.some((e) => e.id === id && e.review.reason === '评价当日该窗口未开放，系误评'));
  assert.deepEqual(clerk.jsErrors, []);
  await clerk.context().close();

  const disp = await newPage(browser, DESKTOP);
  await login(disp, server.url, 'dispatcher');
  await disp.goto(`${server.url}/points`);
  await disp.waitForSelector(`[data-decide="${id}"]`);
  const stat = async () => Number((await disp.textContent('.totals .el-col:nth-child(3) .el-statistic__number')).replace(/\D/g, ''));
  const badBefore = await stat();
  await disp.click(`[data-decide="${id}"]`);
  assert.match(await disp.textContent('.el-dialog'), /评价当日该窗口未开放/);
  await disp.click('.el-dialog [data-upheld]');
  await disp.fill('.el-dialog textarea', '经查当日窗口未开放，申诉成立');
  await disp.click('.el-dialog [data-send]');
  await disp.waitForFunction((i) => !document.querySelector(`[data-decide="${i}"]`), id);
  await disp.waitForFunction((n) => Number(document.querySelector('.totals .el-col:nth-child(3) .el-statistic__number')
    .textContent.replace(/\D/g, '')) === n, badBefore - 1);
  assert.match(await disp.textContent('[data-excluded]'), /申诉成立核减差评 1 件/);
  await shot(disp, 'review-points-desktop');
  assert.deepEqual(disp.cspViolations, []);
  assert.deepEqual(disp.jsErrors, []);
  await disp.context().close();
});

test('an unsatisfied 回访 contested on the case page and upheld from the 督查室\'s queue', async () => {
  const disp = await newPage(browser, DESKTOP);
  await login(disp, server.url, 'dispatcher');
  // a case of cgj resolved and visited unsatisfied, through the API
  const c = (await apiAs(disp, 'GET', '/cases?status=accepted&unit=cgj&lead=true&limit=1')).body.cases[0];
  assert.ok(c, 'the demo has a case of cgj in hand');
  const clerk = await newPage(browser, PHONE);
  await login(clerk, server.url, 'cgj.clerk');
  assert.equal((await apiAs(clerk, 'POST', `/cases/${c.id}/actions/resolve`, { note: '已清理完毕并拍照留存' })).status, 200);
  assert.equal((await apiAs(disp, 'POST', `/cases/${c.id}/actions/visit`, { satisfaction: 'unsatisfied', solved: false })).status, 200);
  await clerk.goto(`${server.url}/cases/${c.id}`);
  await clerk.waitForSelector('.acts [data-action=request_review]');
  await clerk.click('.acts [data-action=request_review]');
  await clerk.waitForSelector('.el-dialog [data-confirm]', { state: 'visible' });
  await clerk.fill('.el-dialog textarea', '诉求人不满的是拆迁政策，非本单位办理问题');
  await clerk.click('.el-dialog [data-confirm]');
  await clerk.waitForSelector('[data-review=pending]');
  await shot(clerk, 'review-case-phone');
  assert.deepEqual(clerk.jsErrors, []);
  await clerk.context().close();

  await disp.goto(`${server.url}/workbench`);
  await disp.waitForFunction(() => ![...document.querySelectorAll('.counter .n')].some((n) => n.textContent === '…'));
  const queue = (await apiAs(disp, 'GET', '/cases?review=pending&limit=200')).body.cases;
  assert.equal((await disp.textContent('[data-queue=review]')).trim(), String(queue.length));
  await disp.click('.counter:has([data-queue=review])');
  await disp.click(`.queue a:has-text("${c.case_no}")`);
  await disp.waitForSelector('.acts [data-action=uphold_review]');
  await disp.click('.acts [data-action=uphold_review]');
  await disp.waitForSelector('.el-dialog [data-confirm]', { state: 'visible' });
  await disp.fill('.el-dialog textarea', '经核实属政策性不满，申诉成立');
  await disp.click('.el-dialog [data-confirm]');
  await disp.waitForSelector('[data-review=upheld]');
  assert.match(await disp.textContent('[data-review=upheld]'), /不计入满意率/);
  const after = (await apiAs(disp, 'GET', `/cases/${c.id}`)).body;
  assert.equal((after.case || after).review.state, 'upheld');
  await shot(disp, 'review-case-desktop');
  assert.deepEqual(disp.jsErrors, []);
  await disp.context().close();
});

test('a burst of ratings held at a point, released and discarded by the 督查室', async () => {
  const admin = await newPage(browser, DESKTOP);
  await login(admin, server.url, 'admin');
  const point = (await apiAs(admin, 'GET', '/service-points')).body.points.find((p) => p.name === '数字城管服务窗口');
  await admin.context().close();
  // 25 ratings in a moment, each from a page of its own (its own token, no cookie kept)
  const anon = await newPage(browser, PHONE);
  await anon.goto(`${server.url}/q/${point.code}`);
  const statuses = await anon.evaluate(async (code) => {
    const out = [];
    for (let i = 0; i < 25; i++) {
      const p = await (await fetch(`/api/v1/public/points/${code}`, { credentials: 'omit' })).json();
      const r = await fetch(`/api/v1/public/points/${code}/evaluations`, {
        method: 'POST', credentials: 'omit', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ level: 'very_satisfied', token: p.token }),
      });
      out.push(r.status);
    }
    return out;
  }, point.code);
  assert.deepEqual([...new Set(statuses)], [201]);
  await anon.context().close();

  const disp = await newPage(browser, PHONE);
  await login(disp, server.url, 'dispatcher');
  const held = (await apiAs(disp, 'GET', '/evaluations?hold=held&limit=200')).body.evaluations;
  assert.ok(held.length >= 25, `${held.length} held`);
  await disp.goto(`${server.url}/points`);
  await disp.waitForSelector('[data-holds] [data-release]');
  assert.equal(await disp.$$eval('[data-holds] .el-table__body tr', (trs) => trs.length), held.length);
  await shot(disp, 'holds-phone');
  const [one, two] = held;
  await disp.click(`[data-release="${one.id}"]`);
  await disp.click('.el-dialog [data-send]');
  await disp.waitForSelector('.el-dialog .el-form-item__error');
  assert.match(await disp.textContent('.el-dialog .el-form-item__error'), /请写明核实意见/);
  await disp.fill('.el-dialog textarea', '回看监控，确有群众评价');
  await disp.click('.el-dialog [data-send]');
  await disp.waitForFunction((i) => !document.querySelector(`[data-release="${i}"]`), one.id);
  await disp.click(`[data-discard="${two.id}"]`);
  await disp.fill('.el-dialog textarea', '同一时段集中刷评');
  await disp.click('.el-dialog [data-send]');
  await disp.waitForFunction((i) => !document.querySelector(`[data-discard="${i}"]`), two.id);
  const after = (await apiAs(disp, 'GET', '/evaluations?hold=held&limit=200')).body.evaluations;
  assert.equal(after.length, held.length - 2);
  assert.deepEqual(disp.cspViolations, []);
  assert.deepEqual(disp.jsErrors, []);
  await disp.context().close();
  const desk = await newPage(browser, DESKTOP);
  await login(desk, server.url, 'dispatcher');
  await desk.goto(`${server.url}/points`);
  await desk.waitForSelector('[data-holds] [data-release]');
  await shot(desk, 'holds-desktop');
  await desk.context().close();
});
