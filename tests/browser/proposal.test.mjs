// A deputy's suggestion answered in the browser: the clerk's written answer
// asks for its class and, for a B, the date it promises; the case page says
// it; the 督查室 cannot close it before that date (the API's reason shown);
// the 清零台账 shows it as a promise.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, apiAs, login, newPage, shot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('a B answer to a 人大代表建议: its class, its promised day, and no 销号 before it', async () => {
  const disp = await newPage(browser, DESKTOP);
  await login(disp, server.url, 'dispatcher');
  const made = await apiAs(disp, 'POST', '/cases', { channel: 'deputy', class: 'general', title: '关于增设城区公共停车位的建议' });
  assert.equal(made.status, 201);
  const id = made.body.id;
  assert.equal((await apiAs(disp, 'POST', `/cases/${id}/actions/dispatch`, { unit: 'cgj', assist: ['zjj'] })).status, 200);
  const clerk = await newPage(browser, PHONE);
  await login(clerk, server.url, 'cgj.clerk');
  assert.equal((await apiAs(clerk, 'POST', `/cases/${id}/actions/accept`, {})).status, 200);
  await clerk.goto(`${server.url}/cases/${id}`);
  await clerk.click('.acts [data-action=resolve]');
  await clerk.waitForSelector('.el-dialog [data-answer]', { state: 'visible' });
  assert.equal(await clerk.$('.el-dialog .el-date-editor'), null); // no date until B or C
  await clerk.click('.el-dialog [data-answer-class=B]');
  await clerk.waitForSelector('.el-dialog .el-date-editor');
  const day = new Date(Date.now() + 8 * 3600e3 + 90 * 864e5).toISOString().slice(0, 10);
  await clerk.fill('.el-dialog .el-date-editor input', day);
  await clerk.keyboard.press('Enter');
  await clerk.fill('.el-dialog textarea', '已完成选址，正在建设，年内建成');
  await shot(clerk, 'proposal-answer-phone');
  await clerk.click('.el-dialog [data-confirm]');
  await clerk.waitForSelector('[data-answer-shown]');
  assert.match(await clerk.textContent('[data-answer-shown]'), /B 正在解决/);
  assert.match(await clerk.textContent('.promised'), new RegExp(day));
  assert.deepEqual(clerk.jsErrors, []);
  await clerk.context().close();

  assert.equal((await apiAs(disp, 'POST', `/cases/${id}/actions/visit`, { satisfaction: 'basic', solved: false })).status, 200);
  await disp.goto(`${server.url}/cases/${id}`);
  await disp.click('.acts [data-action=close]');
  await disp.waitForSelector('.el-dialog textarea', { state: 'visible' });
  await disp.fill('.el-dialog textarea', '核实');
  await disp.click('.el-dialog [data-confirm]');
  await disp.waitForSelector('.el-dialog .el-alert');
  assert.match(await disp.textContent('.el-dialog .el-alert'), new RegExp(day));
  await shot(disp, 'proposal-close-desktop');
  await disp.click('.el-dialog .el-dialog__footer button:not([data-confirm])');
  // on the ledger as a promise
  await disp.goto(`${server.url}/ledger`);
  await disp.waitForSelector('.units [data-open]');
  await disp.click('[data-unit="cgj"]');
  await disp.waitForTimeout(300);
  const rows = (await apiAs(disp, 'GET', '/cases?open=true&unit=cgj&lead=true&limit=200')).body.cases;
  const mine = rows.find((c) => c.id === id);
  assert.equal(mine.ledger.step, '承诺办理中');
  assert.deepEqual(disp.jsErrors, []);
  await disp.context().close();
});
