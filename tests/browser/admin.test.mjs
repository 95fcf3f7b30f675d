// 用户管理 and 审计 (三员分立): the security administrator adds a clerk (a
// weak password refused beside the field), disables and re-enables the
// account, resets its password (which the clerk must change at first
// sign-in), makes it a dispatcher, issues an API token; the administrators'
// own accounts are not theirs to change; the auditor checks the hash chain
// and filters the access log, which shows what was done. At both widths,
// within the CSP.
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

test('the security administrator adds, disables, enables a clerk and resets the password, which the clerk then changes', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'security');
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
  await page.waitForSelector('.users tr:has-text("rsj.clerk") [data-must-change]');
  // only the business roles are offered; the administrators' rows have no buttons
  assert.equal(await page.$('[data-role-change="admin"]'), null);
  assert.equal(await page.$('[data-reset="auditor"]'), null);
  await page.waitForSelector('[data-cli-only="security"]');
  await shot(page, 'users-desktop');
  // disabled: told so at sign-in
  await page.click('[data-toggle="rsj.clerk"]');
  await page.waitForSelector('.users tr:has-text("rsj.clerk") .el-tag:has-text("已停用")');
  const other = await newPage(browser, PHONE);
  await signIn(other, 'rsj.clerk', 'Renshe2026-ok');
  await other.waitForSelector('.el-alert__title');
  assert.match(await other.textContent('.el-alert__title'), /停用/);
  // enabled again (its first password still to change), and a new one set
  await page.click('[data-toggle="rsj.clerk"]');
  await page.waitForSelector('.users tr:has-text("rsj.clerk") [data-must-change]');
  await page.click('[data-reset="rsj.clerk"]');
  await page.fill('input[name=new_password]', 'Reset-2026-new');
  await page.click('[data-reset-save]');
  await page.waitForSelector('.el-dialog:has-text("重置") >> visible=false', { state: 'attached' }).catch(() => {});
  await page.waitForTimeout(300);
  await signIn(other, 'rsj.clerk', 'Reset-2026-new');
  await other.waitForURL(/\/workbench/);
  const me = await other.evaluate(async () => (await (await fetch('/api/v1/me')).json()));
  assert.equal(me.unit.code, 'rsj');
  assert.equal(me.must_change_password, true);
  // a password set by someone else: changed before anything else
  await other.waitForSelector('[data-must-change]');
  await other.waitForSelector('.password-dialog input[name=current_password]');
  assert.equal(await other.$$eval('.el-menu-item', (m) => m.length), 0, 'no menu until the change');
  await shot(other, 'users-first-sign-in-phone');
  await other.fill('.password-dialog input[name=current_password]', 'Reset-2026-new');
  await other.fill('.password-dialog input[name=new_password]', 'Reset-2026-new');
  await other.fill('.password-dialog input[name=again]', 'Reset-2026-new');
  await other.click('[data-change-password]');
  await other.waitForSelector('.password-dialog .el-form-item__error:has-text("不能与当前密码相同")');
  await other.fill('.password-dialog input[name=new_password]', 'Rsj-Own-Choice-7');
  await other.fill('.password-dialog input[name=again]', 'Rsj-Own-Choice-7');
  await other.click('[data-change-password]');
  await other.waitForURL(/\/login/);
  await signIn(other, 'rsj.clerk', 'Rsj-Own-Choice-7');
  await other.waitForURL(/\/workbench/);
  await other.waitForSelector('.burger'); // the menu (a drawer at this width) is back
  assert.equal((await other.evaluate(async () => (await (await fetch('/api/v1/me')).json()))).must_change_password, false);
  assert.equal(await other.$('[data-must-change]'), null);
  await shot(other, 'users-new-clerk-phone');
  // a clerk made a dispatcher: asked for no unit, the table says so, and the API
  await page.click('[data-role-change="rsj.clerk"]');
  await page.click('.el-dialog [data-new-role]');
  await page.click('.el-select-dropdown__item:visible:has-text("督办员")');
  await shot(page, 'users-role-desktop');
  await page.click('[data-role-save]');
  await page.waitForSelector('.users tr:has-text("rsj.clerk") td:has-text("督办员")');
  const users = await page.evaluate(async () => (await (await fetch('/api/v1/users')).json()).users);
  assert.equal(users.find((u) => u.username === 'rsj.clerk').role, 'dispatcher');
  // the roles offered are the business roles only
  await page.click('[data-role-change="rsj.clerk"]');
  await page.click('.el-dialog [data-new-role]');
  await page.waitForSelector('.el-select-dropdown__item:visible:has-text("领导")');
  const offered = await page.$$eval('.el-select-dropdown__item:visible', (o) => o.map((x) => x.textContent.trim()));
  assert.deepEqual(offered.sort(), ['承办员', '督办员', '话务员', '领导'].sort());
  await page.click('.el-select-dropdown__item:visible:has-text("领导")');
  await page.click('.el-dialog:visible .el-dialog__footer button:has-text("取消")');
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  assert.deepEqual(other.cspViolations, []);
  assert.deepEqual(other.jsErrors, []);
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
      assert.ok(rows.length >= 1, 'the security administrator disabled an account');
      assert.ok(rows.every((r) => r.includes('停用账号') && !r.includes('停用账号登录') && r.includes('security') && r.includes('rsj.clerk')));
      const changed = await page.evaluate(async () => (await (await fetch('/api/v1/access-log?action=role_changed')).json()).entries);
      assert.ok(changed.some((a) => a.actor === 'security' && a.detail.includes('rsj.clerk role handler@rsj -> dispatcher')));
    }
    await shot(page, `audit-${name}`);
    assert.deepEqual(page.cspViolations, []);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  }
});

test('基础数据: a unit, a category under it', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'admin');
  await page.goto(`${server.url}/reference`);
  await page.waitForSelector('.units[data-loaded=true]');
  await page.click('[data-new-unit]');
  await page.click('[data-save]'); // nothing filled: said beside the fields
  await page.waitForSelector('.el-dialog .el-form-item__error');
  await page.fill('.el-dialog input[name=code]', 'xzfw');
  await page.fill('.el-dialog input[name=name]', '市行政服务中心');
  await page.click('[data-save]');
  await page.waitForSelector('.units td:has-text("市行政服务中心")');
  // the same code again: said beside the code
  await page.click('[data-new-unit]');
  await page.fill('.el-dialog input[name=code]', 'xzfw');
  await page.fill('.el-dialog input[name=name]', '重复');
  await page.click('[data-save]');
  await page.waitForSelector('.el-dialog .el-form-item__error:has-text("该代码已被使用")');
  await page.click('.el-dialog__footer button:has-text("取消")');
  await page.click('.el-tabs__item:has-text("问题分类")');
  await page.click('[data-new-category]');
  await page.fill('.el-dialog input[name=code]', 'zw.window');
  await page.fill('.el-dialog input[name=name]', '窗口服务');
  await page.click('.el-dialog [data-unit-select]');
  await page.click('.el-select-dropdown__item:visible:has-text("市行政服务中心")');
  await page.click('[data-save]');
  await page.waitForSelector('.categories td:has-text("窗口服务")');
  const cat = await page.evaluate(async () => (await (await fetch('/api/v1/categories')).json()).categories.find((c) => c.code === 'zw.window'));
  assert.equal(cat.unit.code, 'xzfw');
  await shot(page, 'reference-categories-desktop');
  // API tokens are the security administrator's (用户管理), not here
  assert.equal(await page.$('.el-tabs__item:has-text("API 令牌")'), null);
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('用户管理: an API token shown once and revoked, of a business role only', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'security');
  await page.goto(`${server.url}/users`);
  await page.waitForSelector('.users[data-loaded=true]');
  await page.click('.el-tabs__item:has-text("API 令牌")');
  await page.waitForSelector('.tokens[data-loaded=true]');
  await page.click('[data-new-token]');
  await page.click('.el-dialog [data-token-role]');
  await page.waitForSelector('.el-select-dropdown__item:visible:has-text("领导")');
  const offered = await page.$$eval('.el-select-dropdown__item:visible', (o) => o.map((x) => x.textContent.trim()));
  assert.ok(!offered.some((r) => r.includes('管理员')), offered.join());
  await page.keyboard.press('Escape');
  await page.fill('.el-dialog input[name=name]', '微信小程序');
  await page.click('[data-save]');
  await page.waitForSelector('[data-secret]');
  const secret = (await page.textContent('[data-secret]')).trim();
  assert.match(secret, /^[0-9a-f]{64}$/);
  await shot(page, 'users-token-desktop');
  await page.click('.el-dialog__footer button:has-text("关闭")');
  const list = await page.evaluate(async () => (await (await fetch('/api/v1/tokens')).json()).tokens);
  assert.ok(!JSON.stringify(list).includes(secret), 'the list never carries the secret');
  const id = list.find((t) => t.name === '微信小程序').id;
  await page.click(`[data-revoke="${id}"]`);
  await page.click('.el-popconfirm button:has-text("吊销")');
  await page.waitForSelector('.tokens tr:has-text("微信小程序") .el-tag:has-text("已吊销")');
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('基础数据: a unit renamed; a category given another unit; its Open311 attributes added, changed, removed', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'admin');
  await page.goto(`${server.url}/reference`);
  await page.waitForSelector('.units[data-loaded=true]');
  await page.click('[data-rename-unit="swj"]');
  await page.fill('.el-dialog input[name=name]', '市商务局（市粮食和物资储备局）');
  await page.click('[data-save]');
  await page.waitForSelector('.units td:has-text("市商务局（市粮食和物资储备局）")');
  const units = await page.evaluate(async () => (await (await fetch('/api/v1/units')).json()).units);
  assert.equal(units.find((u) => u.code === "swj").name, '市商务局（市粮食和物资储备局）');
  await page.click('.el-tabs__item:has-text("问题分类")');
  await page.click('[data-edit-category="cj.light"]');
  await page.click('.el-dialog [data-unit-select]');
  await page.click('.el-select-dropdown__item:visible:has-text("市住房和城乡建设局")');
  await page.click('[data-save]');
  await page.waitForSelector('.categories tr:has-text("路灯照明") td:has-text("市住房和城乡建设局")');
  for (const [name, vp] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    await page.setViewportSize(vp);
    await page.click('[data-attrs="cg.manhole"]');
    await page.waitForSelector('.attrs td:has-text("manhole_type")');
    await shot(page, `reference-attributes-${name}`);
    await page.click('.attrs-dialog .el-dialog__headerbtn');
    await page.waitForSelector('.attrs-dialog', { state: 'hidden' });
  }
  await page.click('[data-attrs="cg.manhole"]');
  await page.waitForSelector('.attrs td:has-text("manhole_type")');
  // a list with a bad key: said beside the values, nothing added
  await page.fill('input[name=attr-code]', 'cover_state');
  await page.fill('input[name=attr-description]', '井盖状态');
  await page.click('[data-attr-type]');
  await page.click('.el-select-dropdown__item:visible:has-text("单选")');
  await page.fill('input[name=value-key-0]', 'Lost Cover');
  await page.fill('input[name=value-name-0]', '缺失');
  await page.click('[data-save-attr]');
  await page.waitForSelector('.values .el-form-item__error:has-text("选项的键")');
  await page.fill('input[name=value-key-0]', 'lost');
  await page.click('[data-add-value]');
  await page.fill('input[name=value-key-1]', 'broken');
  await page.fill('input[name=value-name-1]', '破损');
  await page.click('[data-save-attr]');
  await page.waitForSelector('.attrs td:has-text("cover_state")');
  const svc = async () => page.evaluate(async () => (await (await fetch('/open311/v2/services/cg.manhole.json')).json()));
  let def = (await svc()).attributes.find((a) => a.code === 'cover_state');
  assert.deepEqual(def.values.map((v) => v.key), ['lost', 'broken']);
  assert.equal(def.datatype, 'singlevaluelist');
  // changed in place: made required, an option renamed
  await page.click('[data-edit-attr="cover_state"]');
  await page.click('.attr-form .el-switch');
  await page.fill('input[name=value-name-1]', '破损下沉');
  await page.click('[data-save-attr]');
  await page.waitForSelector('.attrs td:has-text("破损下沉")');
  def = (await svc()).attributes.find((a) => a.code === 'cover_state');
  assert.equal(def.required, true);
  assert.equal(def.values[1].name, '破损下沉');
  await page.click('[data-delete-attr="cover_state"]');
  await page.click('.el-popconfirm button:has-text("删除")');
  await page.waitForSelector('.attrs td:has-text("cover_state")', { state: 'detached' });
  assert.ok(!(await svc()).attributes.some((a) => a.code === 'cover_state'));
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('答复模板: kept by the administrator, picked by a clerk writing a result', async () => {
  const admin = await newPage(browser, DESKTOP);
  await login(admin, server.url, 'admin');
  await admin.goto(`${server.url}/reference`);
  await admin.waitForSelector('.units[data-loaded=true]');
  await admin.click('.el-tabs__item:has-text("答复模板")');
  await admin.click('[data-new-template]');
  await admin.fill('.el-dialog input[name=title]', '垃圾清运');
  await admin.click('.el-dialog .el-tree-select, .el-dialog .el-select');
  await admin.click('.el-select-dropdown__item:visible:has-text("数字城管事件"), .el-tree-node__label:visible:has-text("数字城管事件")');
  await admin.fill('.el-dialog textarea[name=body]', '已安排环卫车辆清运，并对该点位加密巡查。');
  await admin.click('[data-save]');
  await admin.waitForSelector('.templates td:has-text("垃圾清运")');
  await shot(admin, 'reference-templates-desktop');
  assert.deepEqual(admin.cspViolations, []);
  assert.deepEqual(admin.jsErrors, []);
  await admin.context().close();
  // a 暴露垃圾 case at cgj, accepted
  const disp = await newPage(browser, DESKTOP);
  await login(disp, server.url, 'dispatcher');
  const id = await disp.evaluate(async () => {
    const me = await (await fetch('/api/v1/me')).json();
    const h = { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token };
    const c = await (await fetch('/api/v1/cases', { method: 'POST', headers: h, body: JSON.stringify({ channel: 'hotline',
      class: 'general', title: '小区门口垃圾无人清运', category: 'cg.garbage' }) })).json();
    await fetch(`/api/v1/cases/${c.id}/actions/dispatch`, { method: 'POST', headers: h, body: JSON.stringify({ unit: 'cgj' }) });
    return c.id;
  });
  await disp.context().close();
  const clerk = await newPage(browser, PHONE);
  await login(clerk, server.url, 'cgj.clerk');
  await clerk.goto(`${server.url}/cases/${id}`);
  await clerk.click('.acts [data-action=accept]');
  await clerk.waitForSelector('.acts [data-action=resolve]');
  await clerk.click('.acts [data-action=resolve]');
  await clerk.click('.el-dialog [data-template]');
  await clerk.click('.el-select-dropdown__item:visible:has-text("垃圾清运")');
  assert.equal(await clerk.inputValue('.el-dialog textarea[name=note]'), '已安排环卫车辆清运，并对该点位加密巡查。');
  await shot(clerk, 'case-template-phone');
  await clerk.click('.el-dialog [data-confirm]');
  await clerk.waitForSelector('.el-dialog [data-confirm]', { state: 'hidden' });
  const c = await clerk.evaluate(async (cid) => (await (await fetch(`/api/v1/cases/${cid}`)).json()), id);
  assert.equal(c.status, 'resolved');
  assert.equal(c.result, '已安排环卫车辆清运，并对该点位加密巡查。');
  assert.deepEqual(clerk.cspViolations, []);
  assert.deepEqual(clerk.jsErrors, []);
  await clerk.context().close();
});
