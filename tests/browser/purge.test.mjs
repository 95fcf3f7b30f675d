// Retention in the browser: after `duban purge` (the hotline's period set to
// 30 days, run as if a year later), a closed hotline case's page says its
// requester's details, description and attachments were erased on that day,
// and shows none of them; the page works at both widths.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, apiAs, login, newPage, shot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('a purged case says what was erased and when', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'dispatcher');
  const closed = (await apiAs(page, 'GET', '/cases?status=closed&channel=hotline&limit=5')).body.cases;
  assert.ok(closed.length > 0, 'the demo has closed hotline cases');
  const id = closed[0].id;
  server.cli('retention', 'set', 'hotline', '30');
  const later = new Date(Date.now() + 365 * 86400e3).toISOString().slice(0, 19) + '+08:00';
  process.env.DUBAN_NOW = later;
  let purged;
  try { purged = JSON.parse(server.cli('purge')); } finally { delete process.env.DUBAN_NOW; }
  assert.ok(purged.cases >= closed.length);
  const c = (await apiAs(page, 'GET', `/cases/${id}`)).body;
  assert.equal(c.requester_phone, null);
  assert.equal(c.purged_at.slice(0, 10), later.slice(0, 10));
  for (const [name, vp] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const p = name === 'desktop' ? page : await newPage(browser, vp);
    if (p !== page) await login(p, server.url, 'dispatcher');
    await p.goto(`${server.url}/cases/${id}`);
    await p.waitForSelector('[data-purged]');
    assert.match(await p.textContent('[data-purged]'), new RegExp(`已于 ${later.slice(0, 10)} 按保存期限清除`));
    await shot(p, `case-purged-${name}`);
    assert.deepEqual(p.cspViolations, []);
    assert.deepEqual(p.jsErrors, []);
    if (p !== page) await p.context().close();
  }
  await page.context().close();
});
