// 督办: the notices by colour, as the API gives them; a clerk sees its unit's.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, login, newPage, shot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('notices by colour, each linked to its case', async () => {
  for (const [user, vp] of [['dispatcher', DESKTOP], ['cgj.clerk', PHONE]]) {
    const page = await newPage(browser, vp);
    await login(page, server.url, user);
    await page.goto(`${server.url}/notices`);
    // loaded, with rows or none (an empty table's body is not visible: wait on the flag)
    await page.waitForSelector('.notices[data-loaded=true]', { state: 'attached' });
    const api = await page.evaluate(async () => (await (await fetch('/api/v1/notices')).json()).notices);
    const rows = await page.$$eval('.notices .el-table__body tr', (r) => r.length);
    assert.equal(rows, api.length);
    if (user === 'cgj.clerk') assert.ok(api.every((n) => n.unit && n.unit.code === 'cgj'));
    const yellow = api.filter((n) => n.level === 'yellow' && n.deadline !== 'instruction').length;
    await page.click('[data-level=yellow]');
    assert.equal(await page.$$eval('.notices .el-table__body tr', (r) => r.length), yellow);
    await shot(page, `notices-${user.replace('.', '-')}`);
    assert.deepEqual(page.cspViolations, []);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  }
});

test('a dispatcher sends a 催办 from a notice: an event on the case the unit sees', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'dispatcher');
  await page.goto(`${server.url}/notices`);
  await page.waitForSelector('.notices[data-loaded=true]', { state: 'attached' });
  const target = await page.evaluate(async () => {
    for (const n of (await (await fetch('/api/v1/notices')).json()).notices) {
      const c = await (await fetch(`/api/v1/cases/${n.case_id}`)).json();
      if (c.status === 'dispatched' || c.status === 'accepted') return { id: c.id, unit: c.lead_unit.code };
    }
    return null;
  });
  assert.ok(target, 'the demo has a notice on a case a unit is working on');
  await page.click(`[data-urge="${target.id}"] >> nth=0`);
  await page.fill('textarea[name=urge]', '请于今日下班前反馈办理进展');
  await shot(page, 'notices-urge-desktop');
  await page.click('[data-urge-send]');
  await page.waitForSelector('.el-dialog', { state: 'hidden' });
  assert.equal((await page.textContent(`[data-urge="${target.id}"] >> nth=0`)).trim(), '已催办');
  const events = await page.evaluate(async (id) => (await (await fetch(`/api/v1/cases/${id}`)).json()).events, target.id);
  const urge = events.find((e) => e.action === 'urge');
  assert.ok(urge, 'the 催办 is an event');
  assert.equal(urge.payload.note, '请于今日下班前反馈办理进展');
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});
