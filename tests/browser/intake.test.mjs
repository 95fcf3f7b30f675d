// 受理 in the browser: the form, likely duplicates beside it while typing with
// "合并到此件", and 知识库 answers with "直接答复".
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, login, newPage, shot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function fill(page, { title, phone, description }) {
  await page.goto(`${server.url}/intake`);
  await page.waitForSelector('input[name=title]');
  await page.fill('input[name=requester_name]', '赵六');
  if (phone) await page.fill('input[name=requester_phone]', phone);
  await page.fill('input[name=title]', title);
  if (description) await page.fill('textarea[name=description]', description);
}

test('a duplicate shown while typing is merged into', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'operator');
  await fill(page, { title: '桑坡村路灯整排不亮已经一周', phone: '13711112222' });
  await page.click('[data-submit]');
  await page.waitForURL(/\/cases\/\d+$/);
  const first = page.url().split('/').pop();
  await fill(page, { title: '桑坡村路灯不亮', phone: '13711112222', description: '晚上很黑' });
  await page.waitForSelector('.similar [data-merge]');
  await shot(page, 'intake-duplicate-desktop');
  assert.match(await page.textContent('.similar'), /桑坡村路灯整排不亮已经一周/);
  await page.click('.similar [data-merge]');
  await page.waitForURL((u) => /\/cases\/\d+$/.test(u.pathname) && !u.pathname.endsWith(`/${first}`));
  await page.waitForSelector('.head .el-tag');
  assert.match(await page.textContent('.head'), /已并案/);
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('a question answered from the 知识库 at intake', async () => {
  const page = await newPage(browser, PHONE);
  await login(page, server.url, 'operator');
  await fill(page, { title: '社保卡丢失' });
  await page.waitForSelector('.kb [data-answer]');
  assert.match(await page.textContent('.kb'), /社保卡丢失了怎么补办/);
  await shot(page, 'intake-kb-phone');
  await page.click('.kb [data-answer]');
  await page.waitForURL(/\/cases\/\d+$/);
  await page.waitForSelector('.head .el-tag');
  assert.match(await page.textContent('.head'), /已办结/);
  assert.match(await page.textContent('.el-descriptions'), /市民之家/);
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('a title is required; the error is beside it', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'operator');
  await page.goto(`${server.url}/intake`);
  await page.waitForSelector('[data-submit]');
  await page.click('[data-submit]');
  await page.waitForSelector('.el-form-item__error');
  assert.match(await page.textContent('.el-form-item__error'), /请填写标题/);
  await page.context().close();
});

test('a petition starts confidential, and the operator can say otherwise', async () => {
  const page = await newPage(browser, PHONE);
  await login(page, server.url, 'operator');
  await fill(page, { title: '反映征地补偿未到位', phone: '13722223333' });
  const sw = '.el-switch:has-text("诉求人要求保密")';
  assert.doesNotMatch(await page.getAttribute(sw, 'class'), /is-checked/); // a hotline call is not
  await page.click('.el-form-item:has([name=channel]) .el-select__wrapper');
  await page.click('.el-select-dropdown__item:visible:has-text("信访")');
  await page.waitForSelector(`${sw}.is-checked`);
  await shot(page, 'intake-petition-phone');
  await page.click('[data-submit]');
  await page.waitForURL(/\/cases\/\d+$/);
  const id = page.url().split('/').pop();
  const c = await page.evaluate(async (i) => (await (await fetch(`/api/v1/cases/${i}`)).json()), id);
  assert.equal(c.confidential, true);
  assert.equal(c.channel, 'petition');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});
