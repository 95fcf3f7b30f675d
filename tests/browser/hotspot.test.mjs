// 未诉先办 on the dashboard: the hot spots the API finds, with the rule said
// in numbers and nine weeks drawn; the demo's burst of 路灯 calls in 化工镇
// among them; the 督查室 makes it a 领导交办 case in one click, and the card
// then links that case instead of offering a second.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, apiAs, login, newPage, shot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('hot spots on the dashboard, and one made into a task', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'dispatcher');
  await page.goto(`${server.url}/dashboard`);
  await page.waitForSelector('[data-hotspots][data-loaded=true]');
  const api = (await apiAs(page, 'GET', '/hotspots?by=township')).body;
  assert.match(await page.textContent('[data-rule]'), new RegExp(`不少于 ${api.rule.min_count} 件.*前 ${api.rule.weeks} 周.*小于 ${api.rule.p}`));
  const shown = await page.$$eval('[data-hotspots] [data-count]', (xs) => xs.map((x) => [x.dataset.count, Number(x.textContent)]));
  assert.deepEqual(shown, api.hotspots.map((h) => [`${h.category.code}@${h.place.code}`, h.count]));
  const spike = api.hotspots.find((h) => h.category.code === 'cj.light' && h.place.code === 'huagongzhen');
  assert.ok(spike, 'the demo\'s burst is found');
  assert.ok(spike.count >= 5 && spike.baseline < 2);
  const trend = await page.$eval('[data-hotspots] [data-trend]', (s) => [s.querySelectorAll('rect').length, s.getAttribute('aria-label')]);
  assert.equal(trend[0], 9);
  assert.equal(trend[1], api.hotspots[0].weeks.join(','));
  await page.click('[data-task="cj.light@huagongzhen"]');
  await page.waitForSelector('[data-hotspots] [data-made]');
  const no = (await page.textContent('[data-hotspots] [data-made]')).trim();
  const cases = (await apiAs(page, 'GET', '/cases?channel=leader_task&sort=newest&limit=5')).body.cases;
  const made = cases.find((c) => c.case_no === no);
  assert.ok(made, 'the task is a leader_task case');
  assert.equal(made.lead_unit.code, 'cgj');
  assert.match(made.title, /化工镇路灯照明近7天\d+件/);
  // opened again, the card links the case made, not a second button
  await page.reload();
  await page.waitForSelector('[data-hotspots] [data-made]');
  assert.equal(await page.$('[data-task="cj.light@huagongzhen"]'), null);
  await page.locator('[data-hotspots]').screenshot({ path: 'build/test/screenshots/hotspots-desktop.png' });
  // by lead unit
  await page.click('[data-by=unit]');
  await page.waitForTimeout(400);
  const byUnit = (await apiAs(page, 'GET', '/hotspots?by=unit')).body;
  assert.equal((await page.$$('[data-hotspots] [data-count]')).length, byUnit.hotspots.length);
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('a leader sees the hot spots and the rule, without the action', async () => {
  const page = await newPage(browser, PHONE);
  await login(page, server.url, 'leader');
  await page.goto(`${server.url}/dashboard`);
  await page.waitForSelector('[data-hotspots][data-loaded=true]');
  assert.ok((await page.$$('[data-hotspots] [data-count]')).length > 0);
  assert.equal(await page.$('[data-hotspots] [data-task]'), null);
  await page.locator('[data-hotspots]').screenshot({ path: 'build/test/screenshots/hotspots-phone.png' });
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});
