// 系统设置 as the administrator keeps it: the settings the API gives, a bad
// value refused beside its field with nothing changed, a good one kept and
// logged, the secret never shown back; the 考核 scheme chosen from the presets; the webhook's outbox listed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, apiAs, login, newPage, shot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('the administrator\'s settings: shown as kept, a bad value refused, a good one saved', async () => {
  for (const [name, vp] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await newPage(browser, vp);
    await login(page, server.url, 'admin');
    await page.goto(`${server.url}/settings`);
    await page.waitForSelector('[data-loaded=true] [data-setting=webhook_hours]');
    const cfg = (await apiAs(page, 'GET', '/config')).body.config;
    for (const k of ['appraisal_weights', 'hotspot_rule', 'webhook_hours'])
      assert.equal(await page.inputValue(`input[data-setting=${k}], [data-setting=${k}] input`), cfg[k]);
    if (name === 'desktop') {
      await page.fill('[data-setting=webhook_hours] input, input[data-setting=webhook_hours]', '18:00-08:00');
      await page.click('[data-save-setting=webhook_hours]');
      await page.waitForSelector('.el-form-item__error');
      assert.match(await page.textContent('.el-form-item__error'), /填写的内容有误/);
      assert.equal((await apiAs(page, 'GET', '/config')).body.config.webhook_hours, cfg.webhook_hours);
      await page.fill('[data-setting=webhook_hours] input, input[data-setting=webhook_hours]', '09:00-17:30');
      await page.click('[data-save-setting=webhook_hours]');
      await page.waitForSelector('.el-message--success');
      assert.equal((await apiAs(page, 'GET', '/config')).body.config.webhook_hours, '09:00-17:30');
      await page.fill('[data-setting=webhook_secret] input, input[data-setting=webhook_secret]', 'a-long-enough-secret-0123456789');
      await page.click('[data-save-setting=webhook_secret]');
      await page.waitForFunction(() => document.querySelector('[data-setting=webhook_secret] input, input[data-setting=webhook_secret]').placeholder.includes('已设置'));
      const again = (await apiAs(page, 'GET', '/config')).body.config;
      assert.equal(again.webhook_secret, true);
      assert.equal(await page.inputValue('[data-setting=webhook_secret] input, input[data-setting=webhook_secret]'), '');
    }
    // the 考核 scheme: the one in force, with its source; another chosen is in force from this year on
    const schemes = (await apiAs(page, 'GET', '/schemes')).body;
    assert.equal((await page.textContent('[data-scheme-source]')).trim(), schemes.in_force.source);
    if (name === 'desktop') {
      const jinhua = schemes.presets.find((p) => p.name === 'jinhua');
      await page.click('[data-scheme-select]');
      await page.click(`.el-select-dropdown__item:has-text("${jinhua.label}")`);
      await page.waitForFunction((s) => document.querySelector('[data-scheme-source]').textContent.trim() === s, jinhua.source);
      assert.equal((await apiAs(page, 'GET', '/schemes')).body.in_force.name, 'jinhua');
      const year = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();
      assert.equal((await apiAs(page, 'PUT', `/schemes/${year}`, { preset: 'default' })).status, 200);
    }
    const rows = (await apiAs(page, 'GET', '/outbox?limit=50')).body.outbox.length;
    assert.equal((await page.$$('[data-outbox] .el-table__body tr')).length, rows);
    await shot(page, `sysconfig-${name}`);
    assert.deepEqual(page.cspViolations, []);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  }
});
