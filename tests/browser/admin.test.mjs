// 用户管理 and 审计: an administrator adds a clerk (a weak password refused
// beside the field), disables and re-enables the account, resets its
// password; the auditor checks the hash chain and filters the access log,
// which shows what the administrator did. At both widths, within the CSP.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, login, newPage, shot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function signIn(page, user, password) {
  await page.goto(`${server.url}/login`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
}

test('an administrator adds, disables, enables a clerk and resets the password', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'admin');
  await page.goto(`${server.url}/users`);
  await page.waitForSelector('.users[data-loaded=true]');
  await page.click('[data-new]');
  await page.fill('.el-dialog input[name=username]', 'rsj.clerk');
  await page.fill('.el-dialog input[name=display_name]', '人社局承办员');
  await page.click('.el-dialog [data-role]');
  await page.click('.el-select-dropdown__item:visible:has-text("承办员")');
  await page.click('.el-dialog [data-unit]');
  await page.click('.el-select-dropdown__item:visible:has-text("市人力资源和社会保障局")');
  await page.fill('.el-dialog input[name=password]', 'short1');
  await page.click('[data-save]');
  await page.waitForSelector('.el-form-item__error:has-text("密码不符合要求")');
  await page.fill('.el-dialog input[name=password]', 'Renshe2026-ok');
  await page.click('[data-save]');
  await page.waitForSelector('.users td:has-text("rsj.clerk")');
  await shot(page, 'users-desktop');
  // disabled: told so at sign-in
  await page.click('[data-toggle="rsj.clerk"]');
  await page.waitForSelector('.users tr:has-text("rsj.clerk") .el-tag:has-text("已停用")');
  const other = await newPage(browser, PHONE);
  await signIn(other, 'rsj.clerk', 'Renshe2026-ok');
  await other.waitForSelector('.el-alert__title');
  assert.match(await other.textContent('.el-alert__title'), /停用/);
  // enabled again, and a new password set by the administrator
  await page.click('[data-toggle="rsj.clerk"]');
  await page.waitForSelector('.users tr:has-text("rsj.clerk") .el-tag:has-text("正常")');
  await page.click('[data-reset="rsj.clerk"]');
  await page.fill('input[name=new_password]', 'Reset-2026-new');
  await page.click('[data-reset-save]');
  await page.waitForSelector('.el-dialog:has-text("重置") >> visible=false', { state: 'attached' }).catch(() => {});
  await page.waitForTimeout(300);
  await signIn(other, 'rsj.clerk', 'Reset-2026-new');
  await other.waitForURL(/\/workbench/);
  const me = await other.evaluate(async () => (await (await fetch('/api/v1/me')).json()));
  assert.equal(me.unit.code, 'rsj');
  await shot(other, 'users-new-clerk-phone');
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(other.cspViolations, []);
  await other.context().close();
  await page.context().close();
});

test('the auditor checks the chain and reads the access log, filtered', async () => {
  for (const [name, vp] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await newPage(browser, vp);
    await login(page, server.url, 'auditor');
    await page.goto(`${server.url}/audit`);
    await page.waitForSelector('.log[data-loaded=true]');
    await page.click('[data-verify]');
    await page.waitForSelector('[data-audit-result]');
    const api = await page.evaluate(async () => (await (await fetch('/api/v1/audit')).json()));
    assert.equal(api.ok, true);
    assert.match(await page.textContent('[data-audit-result]'), new RegExp(`校验通过：${api.cases} 件案件`));
    await page.click('.filters .el-select');
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^\s*停用账号\s*$/ }).click();
    await page.click('[data-search]');
    await page.waitForTimeout(400);
    const rows = await page.$$eval('.log .el-table__body tr', (trs) => trs.map((tr) => tr.textContent));
    if (name === 'desktop') {
      assert.ok(rows.length >= 1, 'the administrator disabled an account');
      assert.ok(rows.every((r) => r.includes('停用账号') && !r.includes('停用账号登录') && r.includes('admin') && r.includes('rsj.clerk')));
    }
    await shot(page, `audit-${name}`);
    assert.deepEqual(page.cspViolations, []);
    await page.context().close();
  }
});
