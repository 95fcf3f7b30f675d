// 时限规则 and 工作日历: the 13710 policy table edited cell by cell (a rule
// the stage may not have refused beside the field), and the calendar as a
// year of month grids with holidays and 调休 days, a year imported from its
// file. At both widths, within the CSP.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, login, newPage, shot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

const rule = (page, ch, cl, stage) => page.evaluate(async ([a, b, c]) =>
  (await (await fetch('/api/v1/policy')).json()).policy.find((r) => r.channel === a && r.class === b)[c], [ch, cl, stage]);

test('the policy table, edited a cell at a time', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'admin');
  await page.goto(`${server.url}/policy`);
  await page.waitForSelector('.policy[data-loaded=true]');
  assert.equal((await page.textContent('[data-cell="qr/general/resolve"]')).trim(), '15 工作日');
  await page.click('[data-cell="qr/general/resolve"]');
  await page.fill('[data-n] input', '10');
  await page.click('[data-save]');
  await page.waitForFunction(() => document.querySelector('[data-cell="qr/general/resolve"]').textContent.trim() === '10 工作日');
  assert.equal(await rule(page, 'qr', 'general', 'resolve'), '10 workday');
  // every case has a dispatch deadline: none is refused, beside the field
  await page.click('[data-cell="hotline/general/dispatch"]');
  await page.click('.el-dialog [data-unit]');
  await page.click('.el-select-dropdown__item:visible:has-text("不设时限")');
  await page.click('[data-save]');
  await page.waitForSelector('.el-dialog .el-form-item__error');
  assert.match(await page.textContent('.el-dialog .el-form-item__error'), /不能设为此时限/);
  assert.equal(await rule(page, 'hotline', 'general', 'dispatch'), 'sameday');
  await page.click('.el-dialog .el-dialog__footer button:has-text("取消")');
  await shot(page, 'policy-desktop');
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
  const phone = await newPage(browser, PHONE);
  await login(phone, server.url, 'dispatcher');
  await phone.goto(`${server.url}/policy`);
  await phone.waitForSelector('.policy[data-loaded=true]');
  await shot(phone, 'policy-phone');
  await phone.context().close();
});

test('the calendar: a year of months with holidays and 调休; a year imported', async () => {
  for (const [name, vp] of [['phone', PHONE], ['desktop', DESKTOP]]) { // the desktop imports 2027, last
    const page = await newPage(browser, vp);
    await login(page, server.url, 'admin');
    await page.goto(`${server.url}/calendar`);
    await page.click('[data-year]');
    await page.click('.el-select-dropdown__item:visible:has-text("2026 年")');
    await page.waitForSelector('[data-day="2026-10-01"]');
    assert.match(await page.getAttribute('[data-day="2026-10-01"]', 'class'), /\boff\b/); // 国庆节
    assert.match(await page.getAttribute('[data-day="2026-02-14"]', 'class'), /\bwork\b/); // a 调休 Saturday
    assert.doesNotMatch(await page.getAttribute('[data-day="2026-03-03"]', 'class'), /\b(off|work)\b/);
    assert.equal(await page.$$eval('.month', (m) => m.length), 12);
    await shot(page, `calendar-${name}`);
    // 2027 is not imported yet: its statutory days count, said to be provisional
    await page.click('[data-year]');
    await page.click('.el-select-dropdown__item:visible:has-text("2027 年")');
    await page.waitForSelector('[data-provisional]');
    assert.match(await page.textContent('[data-provisional]'), /2027 年的放假安排尚未导入.*暂定.*国务院令第795号/s);
    for (const d of ['2027-01-01', '2027-02-05', '2027-02-08', '2027-05-02', '2027-10-03'])
      assert.match(await page.getAttribute(`[data-day="${d}"]`, 'class'), /\boff\b/, d);
    assert.doesNotMatch(await page.getAttribute('[data-day="2027-02-09"]', 'class'), /\boff\b/);
    await shot(page, `calendar-provisional-${name}`);
    if (name === 'desktop') {
      const file = { name: '2027.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ year: 2027, days: [
        { name: '元旦', date: '2027-01-01', isOffDay: true }, { name: '春节', date: '2027-02-06', isOffDay: false },
        { name: '春节', date: '2027-02-07', isOffDay: true }] })) };
      await page.setInputFiles('.el-upload input[type=file]', file);
      await page.waitForSelector('[data-imported]');
      assert.match(await page.textContent('[data-imported]'), /已导入 2027 年：休息日 2 天、调休上班 1 天/);
      await page.waitForSelector('[data-day="2027-01-01"]');
      assert.match(await page.getAttribute('[data-day="2027-01-01"]', 'class'), /\boff\b/);
      await page.waitForSelector('[data-provisional]', { state: 'detached' }); // imported: no longer provisional
      const api = await page.evaluate(async () => (await (await fetch('/api/v1/calendar?year=2027')).json()).days.length);
      assert.equal(api, 3);
      // not a calendar: said so
      await page.setInputFiles('.el-upload input[type=file]', { name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{"year":') });
      await page.waitForSelector('.el-alert--error');
      assert.match(await page.textContent('.el-alert--error'), /不是有效的 JSON/);
    }
    assert.deepEqual(page.cspViolations, []);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  }
});
