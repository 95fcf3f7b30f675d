// What the browser tests share: a real `duban serve` on 127.0.0.1 over a
// fresh demo database, Debian's Chromium driven by playwright-core, a page
// that fails the test on any Content-Security-Policy violation, and
// screenshots at the clerk's phone width and a desktop's.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const SHOTS = 'build/test/screenshots';
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 900 };

export async function startServer() {
  const bin = process.env.DUBAN_BIN || 'build/test/duban';
  const dir = mkdtempSync(join(tmpdir(), 'duban-ui-'));
  const db = join(dir, 'ui.db');
  const demo = spawnSync(bin, ['--db', db, 'demo', '--months', '1', '--per-month', '40'], { encoding: 'utf8' });
  if (demo.status !== 0) throw new Error(`demo: ${demo.stderr}`);
  const proc = spawn(bin, ['--db', db, 'serve', '--listen', '127.0.0.1:0', '--web', 'build/web',
    '--sweep-interval', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the server did not start in 20 s')), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /"listening":\s*"([^"]+)"/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (c) => reject(new Error(`the server exited (${c})`)));
  });
  return {
    url,
    // the CLI on the same database (an administrator's command)
    cli(...args) {
      const r = spawnSync(bin, ['--db', db, ...args], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`duban ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    },
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

// A page whose CSP violations (page.cspViolations) and script errors
// (page.jsErrors) are collected.
export async function newPage(browser, viewport) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  page.cspViolations = [];
  await page.exposeBinding('__cspViolation', (_, v) => page.cspViolations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolation(`${e.violatedDirective} ${e.blockedURI}`));
  });
  // errors the page's code threw or logged (a refused request or upload,
  // which the browser or Element Plus's upload logs, is not one)
  page.jsErrors = [];
  const refused = /^(Failed to load resource|UploadAjaxError)/;
  page.on('pageerror', (e) => { if (!refused.test(e.message)) page.jsErrors.push(e.message); });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) page.cspViolations.push(m.text());
    else if (m.type() === 'error' && !refused.test(m.text())) page.jsErrors.push(m.text());
  });
  return page;
}

export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

export async function login(page, url, username) {
  await page.goto(`${url}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', `mz13710#${username.slice(0, 3)}`);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/workbench/);
}

// A call to the API as the page's signed-in user (with its CSRF token), as
// the page itself would make it; returns { status, body }.
export async function apiAs(page, method, path, body) {
  return page.evaluate(async ([m, p, b]) => {
    const me = await (await fetch('/api/v1/me')).json();
    const r = await fetch(`/api/v1${p}`, {
      method: m,
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
      body: b === undefined ? undefined : JSON.stringify(b),
    });
    return { status: r.status, body: await r.json().catch(() => null) };
  }, [method, path, body]);
}
