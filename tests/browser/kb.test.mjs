// 知识库: the centre searches and keeps entries (required fields said beside
// them, an expired entry shown only when asked for), a unit's clerk keeps
// its own unit's; each list compared with the API. Both widths, the CSP.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, login, newPage, shot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

const shown = (page) => page.$$eval('.kb .el-table__body tr .question', (qs) => qs.map((q) => q.textContent.trim()));
const api = (page, qs) => page.evaluate(async (x) => (await (await fetch(`/api/v1/kb?${x}`)).json()).entries.map((e) => e.question), qs);
const loaded = (page) => page.waitForSelector('.kb[data-loaded=true]');

test('the centre searches, adds and retires entries', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'operator');
  await page.goto(`${server.url}/kb`);
  await loaded(page);
  assert.deepEqual(await shown(page), await api(page, 'limit=100'));
  await page.fill('input[name=q]', '社保卡');
  await page.waitForTimeout(600);
  assert.deepEqual(await shown(page), await api(page, 'limit=100&q=%E7%A4%BE%E4%BF%9D%E5%8D%A1'));
  assert.ok((await shown(page)).length >= 1);
  // a new entry: both texts required, said beside them
  await page.click('[data-new]');
  await page.click('[data-save]');
  await page.waitForSelector('.el-dialog .el-form-item__error');
  assert.match(await page.textContent('.el-dialog'), /请填写问题/);
  await page.fill('.el-dialog input[name=question]', '居住证办理需要哪些材料');
  await page.fill('.el-dialog textarea[name=answer]', '身份证、居住登记满半年的证明，到户籍窗口办理，当场受理');
  await page.fill('.el-dialog input[name=policy]', '《居住证暂行条例》');
  await page.click('[data-save]');
  await page.waitForSelector('.el-dialog', { state: 'hidden' });
  await page.fill('input[name=q]', '居住证 材料');
  await page.waitForFunction(() => [...document.querySelectorAll('.kb .question')].some((q) => q.textContent.includes('居住证办理')));
  const made = await page.evaluate(async () => (await (await fetch('/api/v1/kb?q=%E5%B1%85%E4%BD%8F%E8%AF%81&limit=5')).json()).entries[0]);
  assert.equal(made.policy, '《居住证暂行条例》');
  assert.equal(made.unit, null);
  // expired yesterday: offered to nobody, shown to keepers who ask
  await page.click(`[data-edit="${made.id}"]`);
  await page.fill('.el-dialog .el-date-editor input', '2020-01-01');
  await page.keyboard.press('Enter');
  await page.click('[data-save]');
  await page.waitForSelector('.el-dialog', { state: 'hidden' });
  await page.waitForFunction(() => ![...document.querySelectorAll('.kb .question')].some((q) => q.textContent.includes('居住证办理')));
  await page.click('[data-expired]');
  await page.waitForFunction(() => [...document.querySelectorAll('.kb tr')].some((r) => r.textContent.includes('居住证办理') && r.textContent.includes('已过期')));
  await shot(page, 'kb-desktop');
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test("a clerk keeps its own unit's entries", async () => {
  const page = await newPage(browser, PHONE);
  await login(page, server.url, 'cgj.clerk');
  await page.goto(`${server.url}/kb`);
  await loaded(page);
  assert.deepEqual(await shown(page), await api(page, 'limit=100&unit=cgj'));
  await page.click('[data-new]');
  await page.fill('.el-dialog input[name=question]', '门前违规停车怎么投诉');
  await page.fill('.el-dialog textarea[name=answer]', '拨打 12345 或在码上评反映，城管中队当日处置');
  await page.click('[data-save]');
  await page.waitForSelector('.el-dialog', { state: 'hidden' });
  await page.waitForFunction(() => [...document.querySelectorAll('.kb .question')].some((q) => q.textContent.includes('违规停车')));
  const made = await page.evaluate(async () => (await (await fetch('/api/v1/kb?q=%E8%BF%9D%E8%A7%84%E5%81%9C%E8%BD%A6&limit=5')).json()).entries[0]);
  assert.equal(made.unit.code, 'cgj');
  await shot(page, 'kb-clerk-phone');
  await page.click(`[data-delete="${made.id}"]`);
  await page.click('.el-popconfirm button:has-text("删除")');
  await page.waitForFunction(() => ![...document.querySelectorAll('.kb .question')].some((q) => q.textContent.includes('违规停车')));
  assert.equal((await api(page, 'limit=100&q=%E8%BF%9D%E8%A7%84%E5%81%9C%E8%BD%A6')).length, 0);
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});
