// Signing in and the workbench, in a real browser at both widths: the first
// page is the sign-in page, a wrong password is told in Chinese next to the
// button, each role lands on its own queues, nothing breaks the CSP.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, login, newPage, shot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('the first page is the sign-in page; a wrong password is said in Chinese', async () => {
  for (const [name, vp] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const page = await newPage(browser, vp);
    await page.goto(server.url);
    await page.waitForURL(/\/login/);
    await page.waitForSelector('input[name=username]');
    await shot(page, `login-${name}`);
    await page.fill('input[name=username]', 'dispatcher');
    await page.fill('input[name=password]', 'not-the-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('.el-alert__title');
    assert.equal((await page.textContent('.el-alert__title')).trim(), '用户名或密码不正确');
    // an empty field is caught before anything is sent
    await page.fill('input[name=username]', '');
    await page.click('button[type=submit]');
    await page.waitForSelector('.el-form-item__error');
    assert.match(await page.textContent('.el-form-item__error'), /请输入用户名/);
    assert.deepEqual(page.cspViolations, []);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  }
});

test('a disabled account is told so, once the password is right', async () => {
  server.cli('user', 'disable', 'auditor');
  const page = await newPage(browser, PHONE);
  await page.goto(`${server.url}/login`);
  await page.fill('input[name=username]', 'auditor');
  await page.fill('input[name=password]', 'mz13710#aud');
  await page.click('button[type=submit]');
  await page.waitForSelector('.el-alert__title');
  assert.equal((await page.textContent('.el-alert__title')).trim(), '账号已停用，请联系安全管理员');
  await shot(page, 'login-disabled-phone');
  await page.context().close();
});

test('a clerk changes its own password: mistakes said beside the fields, then signed in with the new one', async () => {
  for (const [name, vp] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const page = await newPage(browser, vp);
    const old = name === 'phone' ? 'mz13710#hey' : 'Heyang-2026-new';
    const fresh = name === 'phone' ? 'Heyang-2026-new' : 'Heyang-2027-new';
    await page.goto(`${server.url}/login`);
    await page.fill('input[name=username]', 'heyang.clerk');
    await page.fill('input[name=password]', old);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/workbench/);
    await page.click('[data-who]');
    await page.waitForSelector('.password-dialog input[name=current_password]', { state: 'visible' });
    const error = () => page.textContent('.password-dialog .el-form-item__error');
    // the two new ones differ: caught before anything is sent
    await page.fill('.password-dialog input[name=current_password]', old);
    await page.fill('.password-dialog input[name=new_password]', fresh);
    await page.fill('.password-dialog input[name=again]', `${fresh}x`);
    await page.click('[data-change-password]');
    await page.waitForSelector('.password-dialog .el-form-item__error');
    assert.match(await error(), /两次输入的新密码不一致/);
    // a wrong current password, then a weak new one: the API's answers beside their fields
    await page.fill('.password-dialog input[name=again]', fresh);
    await page.fill('.password-dialog input[name=current_password]', 'not-my-password');
    await page.click('[data-change-password]');
    await page.waitForSelector('.password-dialog .el-form-item__error:has-text("当前密码不正确")');
    await page.fill('.password-dialog input[name=current_password]', old);
    await page.fill('.password-dialog input[name=new_password]', 'heyang.clerk1');
    await page.fill('.password-dialog input[name=again]', 'heyang.clerk1');
    await page.click('[data-change-password]');
    await page.waitForSelector('.password-dialog .el-form-item__error:has-text("新密码不符合下方的要求")');
    await shot(page, `password-${name}`);
    await page.fill('.password-dialog input[name=new_password]', fresh);
    await page.fill('.password-dialog input[name=again]', fresh);
    await page.click('[data-change-password]');
    await page.waitForURL(/\/login/);
    await page.waitForSelector('[data-changed]');
    // the old password no longer works; the new one does
    await page.fill('input[name=username]', 'heyang.clerk');
    await page.fill('input[name=password]', old);
    await page.click('button[type=submit]');
    await page.waitForSelector('.el-alert__title:has-text("用户名或密码不正确")');
    await page.fill('input[name=password]', fresh);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/workbench/);
    assert.deepEqual(page.cspViolations, []);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  }
});

test('each role lands on its own queues, with deadlines as countdowns', async () => {
  const want = {
    dispatcher: ['待派单', '退单待重派', '待审批（延期/方案）', '回访申诉待复核', '待回访', '待销号', '已超期', '红色督办'],
    'cgj.clerk': ['待签收', '办理中', '一日内到期（含超期）', '已超期'],
    operator: ['最近受理', '疑似重复'],
  };
  for (const [user, labels] of Object.entries(want)) {
    for (const [name, vp] of [['phone', PHONE], ['desktop', DESKTOP]]) {
      const page = await newPage(browser, vp);
      await login(page, server.url, user);
      await page.waitForSelector('.counter .n');
      await page.waitForFunction(() => ![...document.querySelectorAll('.counter .n')].some((n) => n.textContent === '…'));
      const got = await page.$$eval('.counter .label', (ls) => ls.map((l) => l.textContent.trim()));
      assert.deepEqual(got, labels);
      // the first queue's count is the rows the API gives for it
      const first = await page.$eval('.counter .n', (n) => n.textContent);
      const rows = await page.$$eval(vp === PHONE ? '.queue .item' : '.queue .el-table__body tr', (r) => r.length);
      assert.equal(String(rows), first.replace('+', ''));
      if (labels.includes('已超期')) { // the overdue queue: what the API counts overdue for this person
        const api = await page.evaluate(async () => (await (await fetch('/api/v1/cases?overdue=true&limit=50')).json()).cases.length);
        const shown = await page.$$eval('.counter .n', (ns) => ns.map((n) => n.textContent));
        assert.equal(shown[labels.indexOf('已超期')].replace('+', ''), String(api));
      }
      await shot(page, `workbench-${user.replace('.', '-')}-${name}`);
      assert.deepEqual(page.cspViolations, []);
    assert.deepEqual(page.jsErrors, []);
      await page.context().close();
    }
  }
});

test("a leader's workbench opens on the day's figures, as the API counts them", async () => {
  for (const [name, vp] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await newPage(browser, vp);
    await login(page, server.url, 'leader');
    await page.waitForSelector('[data-figure=overdue]');
    await page.waitForTimeout(300);
    const o = await page.evaluate(async () => (await (await fetch('/api/v1/stats/overview')).json()));
    const shown = async (k) => (await page.textContent(`[data-figure=${k}] .el-statistic__content`)).trim();
    assert.equal(await shown('overdue'), String(o.overdue));
    assert.equal(await shown('due_today'), String(o.due_today));
    assert.equal(await shown('working'), String(o.by_status.dispatched + o.by_status.accepted));
    await shot(page, `workbench-leader-${name}`);
    assert.deepEqual(page.cspViolations, []);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  }
});

test('an English switch: the sign-in page and the menu, remembered, and back to Chinese', async () => {
  const page = await newPage(browser, DESKTOP);
  await page.goto(`${server.url}/login`);
  await page.click('[data-lang]');
  await page.waitForSelector('button[type=submit]:has-text("Sign in")');
  assert.match(await page.textContent('.el-form'), /Username[\s\S]*Password/);
  await page.click('button[type=submit]'); // empty: the check said in English
  await page.waitForSelector('.el-form-item__error');
  assert.match(await page.textContent('.el-form-item__error'), /Enter your username/);
  await page.fill('input[name=username]', 'dispatcher');
  await page.fill('input[name=password]', 'mz13710#dis');
  await page.click('button[type=submit]');
  await page.waitForURL(/\/workbench/);
  await page.waitForSelector('.el-menu-item:has-text("Workbench")');
  assert.ok(await page.locator('.el-menu-item:has-text("Dashboard")').count() === 1);
  assert.ok(await page.locator('.el-menu-item:has-text("Notices")').count() === 1);
  await page.waitForSelector('.counter .label:has-text("To dispatch")');
  assert.match(await page.textContent('.who'), /dispatcher/);
  await page.reload(); // remembered
  await page.waitForSelector('.el-menu-item:has-text("Workbench")');
  await shot(page, 'workbench-english-desktop');
  await page.click('[data-lang]');
  await page.waitForSelector('.el-menu-item:has-text("工作台")');
  assert.deepEqual(page.cspViolations, []);
    assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});
