// A case through the case page, each step by the role that owns it, with
// only the actions each may take offered; another unit's case by URL is
// "not found"; an action from a stale page shows the API's error in Chinese.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, apiAs, login, newPage, shot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

// A new case by the operator (through the API the intake page will use).
async function intake(page, title) {
  return page.evaluate(async (t) => {
    const me = await (await fetch('/api/v1/me')).json();
    const r = await fetch('/api/v1/cases', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify({ channel: 'hotline', class: 'general', appeal_type: 'complaint', title: t,
        requester_name: '王五', requester_phone: '13900009999', township: 'heyangjd' }),
    });
    return (await r.json()).id;
  }, title);
}

async function offered(page) {
  await page.waitForSelector('.acts .el-button');
  return page.$$eval('.acts [data-action]', (bs) => bs.map((b) => b.dataset.action));
}

async function act(page, action, fill) {
  await page.click(`.acts [data-action=${action}]`);
  if (fill) {
    await page.waitForSelector('.el-dialog [data-confirm]', { state: 'visible' });
    await fill();
    await page.click('.el-dialog [data-confirm]');
    await page.waitForSelector('.el-dialog [data-confirm]', { state: 'hidden' });
  }
  await page.waitForFunction((a) => ![...document.querySelectorAll('.acts [data-action]')]
    .some((b) => b.dataset.action === a), action);
}

test('a case from dispatch to resolution, each step by its own role', async () => {
  const op = await newPage(browser, DESKTOP);
  await login(op, server.url, 'operator');
  const id = await intake(op, '河阳路路灯整排不亮');
  await op.context().close();

  const disp = await newPage(browser, DESKTOP);
  await login(disp, server.url, 'dispatcher');
  await disp.goto(`${server.url}/cases/${id}`);
  assert.deepEqual(await offered(disp), ['dispatch', 'merge', 'reject', 'publish', 'answer', 'sheet']);
  assert.equal(await disp.textContent('.el-descriptions'), await disp.textContent('.el-descriptions'));
  assert.match(await disp.textContent('.el-descriptions'), /13900009999/); // the 督查室 sees the number
  await shot(disp, 'case-received-desktop');
  await act(disp, 'dispatch', async () => {
    await disp.click('.el-dialog [name=unit], .el-dialog .el-select');
    await disp.keyboard.type('城市管理');
    await disp.click('.el-select-dropdown__item:visible:has-text("市城市管理局")');
  });
  assert.match(await disp.textContent('.head'), /已派单/);
  await disp.context().close();

  const clerk = await newPage(browser, PHONE);
  await login(clerk, server.url, 'cgj.clerk');
  await clerk.goto(`${server.url}/cases/${id}`);
  assert.deepEqual(await offered(clerk), ['accept', 'return', 'sheet']);
  assert.match(await clerk.textContent('.el-descriptions'), /139\*\*\*\*9999/); // masked for a unit
  await act(clerk, 'accept');
  await act(clerk, 'resolve', async () => {
    await clerk.fill('.el-dialog textarea', '已更换整排路灯线路，恢复照明');
  });
  assert.match(await clerk.textContent('.head'), /已办结/);
  await shot(clerk, 'case-resolved-phone');
  assert.deepEqual(clerk.cspViolations, []);
  assert.deepEqual(clerk.jsErrors, []);
  await clerk.context().close();
});

test('another unit\'s case by URL is not found', async () => {
  const op = await newPage(browser, DESKTOP);
  await login(op, server.url, 'operator');
  const id = await intake(op, '南环路井盖缺失');
  await op.context().close();
  const other = await newPage(browser, PHONE);
  await login(other, server.url, 'heyang.clerk');
  await other.goto(`${server.url}/cases/${id}`);
  await other.waitForSelector('.el-result__title');
  assert.equal((await other.textContent('.el-result__title')).trim(), '找不到该案件');
  await shot(other, 'case-not-found-phone');
  await other.context().close();
});

test('an action from a stale page shows the API\'s error beside the buttons', async () => {
  const op = await newPage(browser, DESKTOP);
  await login(op, server.url, 'operator');
  const id = await intake(op, '人民路噪音扰民');
  await op.context().close();
  const disp = await newPage(browser, DESKTOP);
  await login(disp, server.url, 'dispatcher');
  await disp.goto(`${server.url}/cases/${id}`);
  await offered(disp);
  // meanwhile someone else rejects it
  server.cli('case', 'act', String(id), 'reject', '--note', '不属于受理范围');
  await disp.click('.acts [data-action=answer]');
  await disp.fill('.el-dialog textarea', '已电话答复');
  await disp.click('.el-dialog [data-confirm]');
  await disp.waitForSelector('.el-dialog .el-alert__title');
  assert.match(await disp.textContent('.el-dialog .el-alert__title'), /当前状态下不能进行此操作/);
  await shot(disp, 'case-stale-desktop');
  await disp.context().close();
});

test('a photo uploaded with its progress is shown; a GIF is refused in Chinese', async () => {
  const op = await newPage(browser, DESKTOP);
  await login(op, server.url, 'operator');
  const id = await intake(op, '迎宾路井盖破损下沉');
  await op.goto(`${server.url}/cases/${id}`);
  await op.waitForSelector('.files [data-upload]');
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  await op.setInputFiles('.files input[type=file]', { name: '现场照片.png', mimeType: 'image/png', buffer: png });
  await op.waitForSelector('.files [data-file="image/png"]');
  assert.match(await op.textContent('.files'), /现场照片\.png/);
  await op.setInputFiles('.files input[type=file]', { name: '动图.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a-not-allowed') });
  await op.waitForSelector('.files .el-alert__title');
  assert.match(await op.textContent('.files .el-alert__title'), /不是 JPEG、PNG、WebP 照片或 PDF/);
  const listed = await op.evaluate(async (cid) => (await (await fetch(`/api/v1/cases/${cid}/attachments`)).json()).attachments.length, id);
  assert.equal(listed, 1);
  await shot(op, 'case-attachments-desktop');
  assert.deepEqual(op.cspViolations, []);
  assert.deepEqual(op.jsErrors, []);
  await op.context().close();
});

test('the 督查室 publishes a site photo: the tracking page shows it once the case is public, and not after', async () => {
  const op = await newPage(browser, DESKTOP);
  await login(op, server.url, 'operator');
  const id = await intake(op, '河雍路人行道地砖松动');
  await op.goto(`${server.url}/cases/${id}`);
  await op.waitForSelector('.files [data-upload]');
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  await op.setInputFiles('.files input[type=file]', { name: '整改前.png', mimeType: 'image/png', buffer: png });
  await op.waitForSelector('.files [data-file="image/png"]');
  assert.equal(await op.$$eval('[data-publish-file]', (b) => b.length), 0, 'only the 督查室 publishes');
  await op.context().close();
  const disp = await newPage(browser, DESKTOP);
  await login(disp, server.url, 'dispatcher');
  const c = (await apiAs(disp, 'GET', `/cases/${id}`)).body;
  const file = (await apiAs(disp, 'GET', `/cases/${id}/attachments`)).body.attachments[0];
  await disp.goto(`${server.url}/cases/${id}`);
  await disp.click(`[data-publish-file="${file.id}"]`);
  await disp.waitForSelector(`[data-publish-file="${file.id}"]:has-text("取消公开")`);
  assert.equal((await apiAs(disp, 'GET', `/cases/${id}/attachments`)).body.attachments[0].published, true);
  const track = async (page) => {
    await page.goto(`${server.url}/t/${c.case_no}?code=${c.track_code}`);
    await page.waitForSelector('#result:not([hidden])');
    return page.$$eval('#r-photos img', (imgs) => imgs.map((i) => i.complete && i.naturalWidth));
  };
  const phone = await newPage(browser, PHONE);
  assert.deepEqual(await track(phone), [], 'a hotline case is not public until published');
  assert.equal((await apiAs(disp, 'POST', `/cases/${id}/actions/publish`, { note: '河雍路人行道地砖松动，已交住建局修复' })).status, 200);
  assert.deepEqual(await track(phone), [1], 'the photo, loaded');
  await shot(phone, 'track-photos-phone');
  await disp.click(`[data-publish-file="${file.id}"]`);
  await disp.waitForSelector(`[data-publish-file="${file.id}"]:has-text("公开"):not(:has-text("取消"))`);
  assert.deepEqual(await track(phone), []);
  assert.equal(await phone.isHidden('#r-photos-box'), true);
  for (const p of [disp, phone]) {
    assert.deepEqual(p.cspViolations, []);
    assert.deepEqual(p.jsErrors, []);
    await p.context().close();
  }
});

test('a clerk sees the contact masked, and in full on a stated reason the auditor then reads', async () => {
  const op = await newPage(browser, DESKTOP);
  await login(op, server.url, 'dispatcher');
  const id = await intake(op, '幸福路积水严重');
  await op.evaluate(async (cid) => {
    const me = await (await fetch('/api/v1/me')).json();
    await fetch(`/api/v1/cases/${cid}/actions/dispatch`, { method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token }, body: JSON.stringify({ unit: 'cgj' }) });
  }, id);
  // the receipt's check code, for the 督查室 to read out
  await op.goto(`${server.url}/cases/${id}`);
  await op.waitForSelector('[data-track-code]');
  assert.match(await op.textContent('[data-track-code]'), /^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);
  await op.context().close();
  const page = await newPage(browser, PHONE);
  await login(page, server.url, 'cgj.clerk');
  await page.goto(`${server.url}/cases/${id}`);
  await page.waitForSelector('[data-reveal]');
  assert.match(await page.textContent('.el-descriptions'), /139\*\*\*\*9999/);
  assert.equal(await page.locator('[data-track-code]').count(), 0, 'a clerk gets no check code');
  await page.click('[data-reveal]');
  await page.click('[data-reveal-send]'); // no reason: said beside the field
  await page.waitForSelector('.el-dialog .el-form-item__error:has-text("请说明查看事由")');
  await page.fill('.el-dialog input[name=reason]', '需电话联系诉求人核实积水位置');
  await page.click('[data-reveal-send]');
  await page.waitForFunction(() => document.querySelector('.el-descriptions').textContent.includes('13900009999'));
  await page.waitForSelector('.el-dialog', { state: 'hidden' });
  await shot(page, 'case-revealed-phone');
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
  const auditor = await newPage(browser, DESKTOP);
  await login(auditor, server.url, 'auditor');
  const log = await auditor.evaluate(async () => (await (await fetch('/api/v1/access-log?action=reveal&order=newest')).json()).entries);
  assert.ok(log.some((e) => e.actor === 'cgj.clerk' && e.case_id === id && e.detail === '需电话联系诉求人核实积水位置'));
  await auditor.context().close();
});
