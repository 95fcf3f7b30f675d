// The workbench's review queues: the operator's likely duplicates among
// recent intakes, merged from the workbench; the dispatcher's 退单 to send
// again and its 红色督办 (three days past a deadline), as the API counts them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, apiAs, login, newPage, shot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

const counter = (page, key) => page.textContent(`[data-queue=${key}]`).then((s) => s.trim());
async function settled(page) {
  await page.waitForSelector('.counter .n');
  await page.waitForFunction(() => ![...document.querySelectorAll('.counter .n')].some((n) => n.textContent === '…'));
}

test('the operator sees two calls about one burst pipe as likely duplicates and merges them', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'operator');
  const mk = (title, phone) => apiAs(page, 'POST', '/cases', { channel: 'hotline', class: 'general', title,
    requester_phone: phone, township: 'heyangjd' }).then((r) => { assert.equal(r.status, 201); return r.body; });
  const first = await mk('西虢镇东头村自来水管爆裂，路面大量积水', '13900001111');
  const second = await mk('西虢镇东头村自来水管爆裂，路面大量积水结冰', '13900002222');
  for (const [name, vp] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    await page.setViewportSize(vp);
    await page.goto(`${server.url}/workbench`);
    await settled(page);
    const api = (await apiAs(page, 'GET', '/cases/duplicates?limit=30')).body.groups;
    assert.equal(await counter(page, 'dups'), String(api.length));
    await page.click('.counter:has([data-queue=dups])');
    await page.waitForSelector(`[data-group="${second.id}"]`);
    assert.equal(await page.$$eval('.dups .group', (g) => g.length), api.length);
    assert.match(await page.textContent(`[data-group="${second.id}"]`), new RegExp(first.case_no));
    await shot(page, `workbench-duplicates-${name}`);
  }
  await page.click(`[data-merge="${second.id}-${first.id}"]`);
  await page.waitForSelector(`[data-group="${second.id}"]`, { state: 'detached' });
  const merged = (await apiAs(page, 'GET', `/cases/${second.id}`)).body;
  assert.equal(merged.status, 'merged');
  assert.equal(merged.main_case.id, first.id);
  // the case it joined no longer lists it as a duplicate
  const left = (await apiAs(page, 'GET', '/cases/duplicates?limit=30')).body.groups;
  assert.ok(!left.some((g) => g.case.id === second.id || g.similar.some((s) => s.id === second.id)));
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test("the dispatcher's 退单 queue holds the case a unit returned; 红色督办 counts as the API does", async () => {
  const disp = await newPage(browser, DESKTOP);
  await login(disp, server.url, 'dispatcher');
  const c = (await apiAs(disp, 'POST', '/cases', { channel: 'hotline', class: 'general', title: '会昌街道某小区电梯停运',
    township: 'huichangjd' })).body;
  assert.equal((await apiAs(disp, 'POST', `/cases/${c.id}/actions/dispatch`, { unit: 'cgj' })).status, 200);
  const clerk = await newPage(browser, DESKTOP);
  await login(clerk, server.url, 'cgj.clerk');
  const back = await apiAs(clerk, 'POST', `/cases/${c.id}/actions/return`, { note: '电梯属市场监管局职责' });
  assert.equal(back.status, 200);
  await clerk.context().close();
  // a call logged ten days late: its same-day dispatch is long past, so red
  const tenDays = new Date(Date.now() - 10 * 864e5).toISOString().slice(0, 10);
  const late = (await apiAs(disp, 'POST', '/cases', { channel: 'hotline', class: 'general', title: '补录：沁园路井盖缺失',
    township: 'huichangjd', received_at: tenDays })).body;
  assert.ok(late.id, JSON.stringify(late));
  for (const [name, vp] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    await disp.setViewportSize(vp);
    await disp.goto(`${server.url}/workbench`);
    await settled(disp);
    const returned = (await apiAs(disp, 'GET', '/cases?status=received&returned=true&limit=50')).body.cases;
    assert.ok(returned.some((x) => x.id === c.id));
    assert.equal(await counter(disp, 'returned'), String(returned.length));
    await disp.click('.counter:has([data-queue=returned])');
    await disp.waitForSelector(`.queue a[href="/cases/${c.id}"]`);
    // red: the cases whose deadline passed three days ago or more
    const at = await disp.evaluate(() => `${new Date(Date.now() - 3 * 864e5).toISOString().slice(0, 19)}Z`);
    const red = (await apiAs(disp, 'GET', `/cases?overdue_at=${at}&limit=50`)).body.cases;
    assert.ok(red.some((x) => x.id === late.id));
    assert.equal((await counter(disp, 'red')).replace('+', ''), String(red.length));
    await disp.click('.counter:has([data-queue=red])');
    await disp.waitForSelector(`.queue a[href="/cases/${late.id}"]`);
    await shot(disp, `workbench-red-${name}`);
    await disp.click('.counter:has([data-queue=returned])');
    await shot(disp, `workbench-returned-${name}`);
  }
  assert.deepEqual(disp.cspViolations, []);
  assert.deepEqual(disp.jsErrors, []);
  await disp.context().close();
});
