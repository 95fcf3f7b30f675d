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

// An action whose button stays (feedback may be given again): done when the
// timeline has one more entry.
async function actAgain(page, action, fill) {
  const before = await page.$$eval('.el-timeline-item', (x) => x.length);
  await page.click(`.acts [data-action=${action}]`);
  await page.waitForSelector('.el-dialog [data-confirm]', { state: 'visible' });
  await fill();
  await page.click('.el-dialog [data-confirm]');
  await page.waitForSelector('.el-dialog [data-confirm]', { state: 'hidden' });
  await page.waitForFunction((n) => document.querySelectorAll('.el-timeline-item').length > n, before);
}

const status = async (page) => (await page.textContent('.head .el-tag')).trim();

test('a whole case, each step in the browser by the role that owns it', async () => {
  // 受理: the operator types a call that repeats an earlier one; the duplicate is shown, and this
  // time the call is a case of its own
  const op = await newPage(browser, DESKTOP);
  await login(op, server.url, 'operator');
  await intake(op, '河阳路路灯整排不亮，晚上一片漆黑');
  await op.goto(`${server.url}/intake`);
  await op.waitForSelector('input[name=title]');
  await op.fill('input[name=requester_name]', '王五');
  await op.fill('input[name=requester_phone]', '13900009999');
  await op.fill('input[name=title]', '河阳路路灯不亮');
  await op.waitForSelector('.similar [data-merge]');
  assert.match(await op.textContent('.similar'), /河阳路路灯整排不亮/);
  await op.click('[data-submit]');
  await op.waitForURL(/\/cases\/\d+$/);
  const id = Number(op.url().split('/').pop());
  await op.waitForSelector('.head .el-tag');
  assert.equal(await status(op), '已受理');
  assert.deepEqual(await offered(op), ['merge', 'answer', 'sheet']); // 不予受理 is the 督查室's
  await op.context().close();

  // 派单 with an assisting unit
  const disp = await newPage(browser, DESKTOP);
  await login(disp, server.url, 'dispatcher');
  await disp.goto(`${server.url}/cases/${id}`);
  assert.deepEqual(await offered(disp), ['dispatch', 'merge', 'reject', 'publish', 'answer', 'sheet']);
  assert.match(await disp.textContent('.el-descriptions'), /13900009999/); // the 督查室 sees the number
  await shot(disp, 'case-received-desktop');
  await act(disp, 'dispatch', async () => {
    await disp.click('.el-dialog .el-select[name=unit], .el-dialog .el-select >> nth=0');
    await disp.keyboard.type('城市管理');
    await disp.click('.el-select-dropdown__item:visible:has-text("市城市管理局")');
    await disp.click('.el-dialog .el-select >> nth=1');
    await disp.keyboard.type('河阳');
    await disp.click('.el-select-dropdown__item:visible:has-text("河阳街道")');
    await disp.click('.el-dialog__title'); // the multiple select's list closes
    await disp.waitForSelector('.el-select-dropdown__item:has-text("河阳街道")', { state: 'hidden' });
  });
  assert.equal(await status(disp), '已派单');
  assert.match(await disp.textContent('.el-descriptions'), /协办单位\s*河阳街道/);

  // the assisting unit's clerk may neither accept nor return: that is the lead's
  const assist = await newPage(browser, PHONE);
  await login(assist, server.url, 'heyang.clerk');
  await assist.goto(`${server.url}/cases/${id}`);
  assert.deepEqual(await offered(assist), ['sheet']);
  assert.match(await assist.textContent('.el-descriptions'), /139\*\*\*\*9999/);

  // the lead unit accepts
  const clerk = await newPage(browser, PHONE);
  await login(clerk, server.url, 'cgj.clerk');
  await clerk.goto(`${server.url}/cases/${id}`);
  assert.deepEqual(await offered(clerk), ['accept', 'return', 'sheet']);
  assert.match(await clerk.textContent('.el-descriptions'), /139\*\*\*\*9999/); // masked for a unit
  await act(clerk, 'accept');
  assert.equal(await status(clerk), '办理中');

  // the assisting unit gives its opinion (协办意见), and has nothing else to do
  await assist.reload();
  assert.deepEqual(await offered(assist), ['feedback', 'sheet']);
  assert.equal((await assist.textContent('[data-action=feedback]')).trim(), '协办意见');
  await actAgain(assist, 'feedback', () => assist.fill('.el-dialog textarea', '河阳街道已配合排查线路'));
  assert.deepEqual(await offered(assist), ['feedback', 'sheet']);
  await shot(assist, 'case-assisting-phone');

  // the lead unit reports and asks for more time
  await clerk.reload();
  assert.ok((await offered(clerk)).includes('resolve'));
  await actAgain(clerk, 'feedback', () => clerk.fill('.el-dialog textarea', '已派维修班组现场排查'));
  const until = new Date(Date.now() + 30 * 864e5).toISOString().slice(0, 10);
  await act(clerk, 'request_extension', async () => {
    await clerk.fill('.el-dialog .el-date-editor input', until);
    await clerk.keyboard.press('Enter');
    await clerk.fill('.el-dialog textarea', '需更换整段地下电缆，等待供电部门停电窗口');
  });
  assert.ok(!(await offered(clerk)).includes('request_extension'), 'one request at a time');

  // the 督查室 approves it: the resolution deadline moves to the date asked
  await disp.reload();
  await act(disp, 'approve_extension');
  const c = await (await disp.request.get(`${server.url}/api/v1/cases/${id}`)).json();
  assert.match(c.resolve_due, new RegExp(`^${until}`));

  // resolved by the lead unit
  await clerk.reload();
  await act(clerk, 'resolve', () => clerk.fill('.el-dialog textarea', '已更换整段电缆，恢复照明'));
  assert.equal(await status(clerk), '已办结');
  await shot(clerk, 'case-resolved-phone');

  // 回访 and 销号 by the 督查室
  await disp.reload();
  await act(disp, 'visit', async () => {
    await disp.click('.el-dialog .el-radio >> text="满意"');
  });
  assert.equal(await status(disp), '已回访');
  await act(disp, 'close');
  assert.equal(await status(disp), '已销号');
  assert.deepEqual(await offered(disp), ['publish', 'sheet']); // 公开 stays possible
  const events = (await (await disp.request.get(`${server.url}/api/v1/cases/${id}`)).json()).events.map((e) => e.action);
  assert.deepEqual(events, ['create', 'dispatch', 'accept', 'feedback', 'feedback', 'request_extension',
    'approve_extension', 'resolve', 'visit', 'close']);
  await shot(disp, 'case-closed-desktop');
  for (const p of [disp, assist, clerk]) {
    assert.deepEqual(p.cspViolations, []);
    assert.deepEqual(p.jsErrors, []);
    await p.context().close();
  }
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
    // the photos load after the result shows: waited for, not raced (a loaded machine is slow)
    await page.waitForFunction(() => [...document.querySelectorAll('#r-photos img')].every((i) => i.complete));
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
