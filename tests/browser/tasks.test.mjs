// 1+10+N's tasks in the browser: the 督查室 makes a key task with two
// milestones; the page lists it under its group and its leader, with the
// milestones as steps on their days; the unit's clerk raises a problem under
// it, which becomes a case of that unit.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, apiAs, login, newPage, shot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 864e5).toISOString().slice(0, 10);

test('a key task made with its milestones, listed by group and by leader; a problem raised under it', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'dispatcher');
  await page.goto(`${server.url}/indicators?tab=tasks`);
  await page.waitForSelector('.tasks[data-loaded=true]');
  await page.click('[data-new-task]');
  await page.fill('.el-dialog input[name=title]', '城区老旧管网改造');
  await page.click('.el-dialog [data-group-select]');
  await page.click('.el-select-dropdown__item:visible:has-text("城市建设")');
  await page.fill('.el-dialog input[name=leader]', '王副市长');
  await page.click('.el-dialog [data-unit-select]');
  await page.keyboard.type('城市管理');
  await page.click('.el-select-dropdown__item:visible:has-text("市城市管理局")');
  await page.fill('.el-dialog .el-form-item:has-text("完成时限") .el-date-editor input', day(200));
  await page.keyboard.press('Enter');
  for (const [i, [title, n]] of [['完成设计', 30], ['竣工验收', 180]].entries()) {
    await page.click('.el-dialog [data-add-ms]');
    await page.fill(`.el-dialog .ms >> nth=${i} >> .el-input:not(.el-date-editor) input`, title);
    await page.fill(`.el-dialog .ms >> nth=${i} >> .el-date-editor input`, day(n));
    await page.keyboard.press('Enter');
  }
  await shot(page, 'tasks-new-desktop');
  await page.click('.el-dialog [data-save]');
  await page.waitForSelector('.el-dialog [data-save]', { state: 'hidden' });
  await page.waitForSelector('[data-group="城市建设"] [data-task]');
  const api = (await apiAs(page, 'GET', '/tasks')).body.tasks.find((x) => x.task.title === '城区老旧管网改造');
  assert.equal(api.milestones.length, 2);
  assert.equal(api.task.resolve_due.slice(0, 10), day(200));
  const steps = await page.$$eval(`[data-task="${api.task.id}"] [data-milestone]`, (xs) => xs.map((x) => [x.textContent, x.dataset.state]));
  assert.equal(steps.length, 2);
  assert.match(steps[0][0], new RegExp(`完成设计.*${day(30)}`));
  assert.equal(steps[0][1], 'wait');
  await page.click('[data-by-leader]');
  await page.waitForSelector('[data-group="王副市长"]');
  await shot(page, 'tasks-desktop');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();

  const clerk = await newPage(browser, PHONE);
  await login(clerk, server.url, 'cgj.clerk');
  const before = (await apiAs(clerk, 'GET', '/tasks')).body.tasks.find((x) => x.task.id === api.task.id);
  assert.ok(before, 'the clerk of the lead unit sees its task');
  const r = await apiAs(clerk, 'POST', `/tasks/${api.task.id}/problems`, { title: '施工占道影响通行' });
  assert.equal(r.status, 201);
  assert.equal(r.body.lead_unit.code, 'cgj');
  assert.deepEqual(clerk.jsErrors, []);
  await clerk.context().close();

  const leader = await newPage(browser, PHONE);
  await login(leader, server.url, 'leader');
  await leader.goto(`${server.url}/indicators?tab=tasks`);
  await leader.waitForSelector(`[data-task="${api.task.id}"]`);
  assert.match(await leader.textContent(`[data-task="${api.task.id}"]`), /问题 1 个/);
  assert.equal(await leader.$('[data-new-task]'), null);
  await shot(leader, 'tasks-phone');
  assert.deepEqual(leader.jsErrors, []);
  await leader.context().close();
});
