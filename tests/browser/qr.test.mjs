// 码上评 and public tracking on a phone (390×844), without signing in: a
// 满意 evaluation, then a 非常不满意 with a comment that becomes a case for
// the point's unit, followed by its tracking link; the bytes each page
// transfers measured against the 50 KB budget; a second evaluation from
// the same phone refused in Chinese; the English switch; nothing breaks the CSP.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, login, newPage, shot, startBrowser, startServer } from './harness.mjs';

let server, browser, point;
before(async () => {
  server = await startServer();
  browser = await startBrowser();
  const admin = await newPage(browser, DESKTOP);
  await login(admin, server.url, 'admin');
  const points = await admin.evaluate(async () => (await (await fetch('/api/v1/service-points')).json()).points);
  point = points.find((p) => p.name === '数字城管服务窗口');
  await admin.context().close();
});
after(async () => { await browser?.close(); await server?.stop(); });

// Bytes on the wire (headers and encoded bodies) of everything the page loads.
function meter(page) {
  const done = [];
  page.on('requestfinished', (r) => done.push(r.sizes().then((s) => s.responseBodySize + s.responseHeadersSize)));
  return async () => (await Promise.all(done)).reduce((a, b) => a + b, 0);
}

test('a 满意, then a 非常不满意 that becomes a case, tracked by its link', async () => {
  assert.ok(point, 'the demo has the point');
  let page = await newPage(browser, PHONE);
  let bytes = meter(page);
  await page.goto(`${server.url}/q/${point.code}`, { waitUntil: 'networkidle' });
  await page.waitForSelector('#form:not([hidden])');
  assert.equal(await page.textContent('#name'), '数字城管服务窗口');
  const qrBytes = await bytes();
  assert.ok(qrBytes < 50 * 1024, `码上评 page: ${qrBytes} bytes`);
  console.log(`# 码上评 page, cold: ${qrBytes} bytes transferred`);
  await shot(page, 'qr-phone');
  await page.click('button.level[data-level=satisfied]');
  assert.equal(await page.isVisible('#reasons-box'), false); // reasons only for a 差评
  await page.click('#send');
  await page.waitForSelector('#done:not([hidden])');
  assert.equal(await page.isVisible('#done-case'), false);
  // the same phone again within the hour: told so, in Chinese, where it submits
  await page.goto(`${server.url}/q/${point.code}`);
  await page.click('button.level[data-level=basic]');
  await page.click('#send');
  await page.waitForSelector('#err-form:not([hidden])');
  assert.match(await page.textContent('#err-form'), /一小时内已评价/);
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();

  // another phone: a 差评 with a comment and a phone number
  page = await newPage(browser, PHONE);
  await page.goto(`${server.url}/q/${point.code}`);
  await page.click('button.level[data-level=very_unsatisfied]');
  await page.waitForSelector('#reasons-box:not([hidden])');
  await page.check('input[name=reasons][value=attitude]');
  await page.check('#report'); // a report without a comment is caught before it is sent
  await page.click('#send');
  await page.waitForSelector('#err-comment:not([hidden])');
  assert.match(await page.textContent('#err-comment'), /请写下/);
  await page.fill('#comment', '窗口人员态度生硬，问两句就不耐烦');
  await page.fill('#phone', '13903911234');
  await shot(page, 'qr-bad-phone');
  await page.click('#send');
  await page.waitForSelector('#done-case:not([hidden])');
  const caseNo = (await page.textContent('#case-no')).trim();
  assert.match(caseNo, /^MZ\d{8}-\d{4}$/);
  assert.equal(await page.textContent('#case-unit'), '市城市管理局');
  assert.match(await page.textContent('#case-code'), /^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);
  await shot(page, 'qr-done-phone');
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  const link = await page.getAttribute('#case-link', 'href');
  await page.context().close();

  // the tracking link, opened cold as it would be later
  page = await newPage(browser, PHONE);
  bytes = meter(page);
  await page.goto(`${server.url}${link}`, { waitUntil: 'networkidle' });
  await page.waitForSelector('#result:not([hidden])');
  const trackBytes = await bytes();
  assert.ok(trackBytes < 50 * 1024, `tracking page: ${trackBytes} bytes`);
  console.log(`# tracking page, cold: ${trackBytes} bytes transferred`);
  assert.equal(await page.textContent('#r-no'), caseNo);
  assert.equal(await page.textContent('#r-unit'), '市城市管理局');
  assert.equal(await page.textContent('#r-status'), '已派单');
  const steps = await page.$$eval('#r-steps li', (lis) => lis.map((li) => li.className));
  assert.deepEqual(steps.slice(0, 1), ['done']); // 1: assigned at once
  const body = await page.textContent('body');
  assert.ok(!body.includes('13903911234') && !body.includes('1234'), 'no phone on the public page');
  await shot(page, 'track-phone');
  await page.click('#lang');
  assert.equal(await page.textContent('#ask button'), 'Look up');
  assert.match(await page.textContent('#r-steps li:first-child .state'), /done/);
  await page.click('#lang');
  // a wrong code: said in Chinese
  await page.fill('#code', '0000-0000-0000');
  await page.click('#ask button');
  await page.waitForSelector('#err:not([hidden])');
  assert.match(await page.textContent('#err'), /未找到该编号的案件，或查询码不正确/);
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();

  // the 督查室 sees the case: channel qr, at cgj, the phone kept for the 回访
  const disp = await newPage(browser, DESKTOP);
  await login(disp, server.url, 'dispatcher');
  const c = await disp.evaluate(async (no) => {
    const list = (await (await fetch('/api/v1/cases?channel=qr&sort=newest&limit=5')).json()).cases;
    const one = list.find((x) => x.case_no === no);
    return (await fetch(`/api/v1/cases/${one.id}`)).json();
  }, caseNo);
  assert.equal(c.status, 'dispatched');
  assert.equal(c.lead_unit.code, 'cgj');
  assert.equal(c.requester_phone, '13903911234');
  assert.match(c.description, /服务态度/);
  await disp.context().close();
});

test('desktop widths, and an unknown point or case said so', async () => {
  const page = await newPage(browser, DESKTOP);
  await page.goto(`${server.url}/q/${point.code}`);
  await page.waitForSelector('#form:not([hidden])');
  await shot(page, 'qr-desktop');
  await page.goto(`${server.url}/q/zzzzzzzzzz`);
  await page.waitForSelector('#missing:not([hidden])');
  assert.match(await page.textContent('#missing h1'), /未找到该服务点/);
  await page.goto(`${server.url}/t`);
  await page.waitForSelector('#ask');
  await shot(page, 'track-desktop');
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('码上评 page: an administrator adds a point; the 督查室 reads the figures the API gives', async () => {
  const page = await newPage(browser, DESKTOP);
  await login(page, server.url, 'admin');
  await page.goto(`${server.url}/points`);
  await page.waitForSelector('.points[data-loaded=true]');
  await page.click('[data-new]');
  await page.click('[data-save]'); // nothing filled: said beside the fields
  await page.waitForSelector('.el-form-item__error');
  assert.match(await page.textContent('.el-dialog'), /请填写服务点名称/);
  await page.fill('.el-dialog input[name=name]', '公积金提取窗口');
  await page.fill('.el-dialog input[name=place]', '市民之家三楼');
  await page.click('.el-dialog .el-select');
  await page.click('.el-select-dropdown__item:has-text("市住房和城乡建设局")');
  await page.click('[data-save]');
  await page.waitForSelector('.el-dialog', { state: 'hidden' });
  await page.waitForSelector('.points td:has-text("公积金提取窗口")');
  const added = await page.evaluate(async () =>
    (await (await fetch('/api/v1/service-points')).json()).points.find((p) => p.name === '公积金提取窗口'));
  assert.equal(added.unit.code, 'zjj');
  assert.equal(added.place, '市民之家三楼');
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();

  for (const [name, vp] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const d = await newPage(browser, vp);
    await login(d, server.url, 'dispatcher');
    await d.goto(`${server.url}/points`);
    await d.waitForSelector('.points[data-loaded=true]');
    const api = await d.evaluate(async () => {
      const now = new Date();
      const to = new Date(now.getTime() + 86400000);
      const f = (x) => `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, '0')}-${String(x.getDate()).padStart(2, '0')}`;
      return (await (await fetch(`/api/v1/evaluations/stats?from=${now.getFullYear()}-01-01&to=${f(to)}`)).json()).total;
    });
    const shown = await d.$$eval('.totals .el-statistic__content', (els) => els.map((e) => e.textContent.trim()));
    assert.equal(shown[0], String(api.total));
    assert.equal(shown[1], `${(api.good_rate * 100).toFixed(1)}%`);
    assert.equal(shown[2], String(api.bad));
    assert.ok(api.total > 0 && api.bad > 0, 'the demo and the test evaluated');
    await shot(d, `points-${name}`);
    assert.deepEqual(d.cspViolations, []);
    assert.deepEqual(d.jsErrors, []);
    await d.context().close();
  }
});
