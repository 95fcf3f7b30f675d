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
    await page.context().close();
  }
});
