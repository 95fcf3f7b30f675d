// The web pages as a person on a fresh browser meets them: bytes on the wire
// (headers and the compressed bodies) and the time from navigation to a
// usable page (its data drawn), each beside the sign-in page measured in the
// same run (a ratio). The workbench, a case and the 码上评 page on a demo
// month; the dashboard over the 1,000,000-case database of bench_store.
// Usage: node bench/web.mjs DUBAN BIG_DB TMPDIR   (bench/run.sh) -> table rows
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [bin, big, tmp] = process.argv.slice(2);
const PASSWORD = 'Bench-web-2026';

function cli(db, ...args) {
  const r = spawnSync(bin, ['--db', db, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`duban ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function serve(db) {
  const proc = spawn(bin, ['--db', db, 'serve', '--listen', '127.0.0.1:0', '--web', 'build/web', '--sweep-interval', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('no server in 60 s')), 60000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /"listening":\s*"([^"]+)"/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  return { url, stop: () => new Promise((r) => { proc.once('exit', r); proc.kill('SIGTERM'); }) };
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });

// A cold page (new context: empty cache): bytes and ms until `ready` shows.
async function measure(url, path, ready, user, password) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  if (user) { // the session first, outside the measure (a sign-in page load of its own)
    const r = await context.request.post(`${url}/api/v1/auth/login`, { data: { username: user, password } });
    if (!r.ok()) throw new Error(`login ${user}: ${r.status()}`);
  }
  const page = await context.newPage();
  const sizes = [];
  page.on('requestfinished', (q) => sizes.push(q.sizes().then((s) => s.responseBodySize + s.responseHeadersSize)));
  const t0 = Date.now();
  await page.goto(`${url}${path}`);
  await page.waitForSelector(ready, { state: 'attached', timeout: 120000 });
  const ms = Date.now() - t0;
  await page.waitForLoadState('networkidle');
  const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  await context.close();
  return { ms, bytes };
}
const best = async (n, f) => { let b = null; for (let i = 0; i < n; i++) { const r = await f(); if (!b || r.ms < b.ms) b = { ...r }; } return b; };
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const ratio = (a, b) => (b ? (a / b).toPrecision(3) : '—');

const demo = join(tmp, 'web.db');
rmSync(demo, { force: true });
cli(demo, 'demo', '--months', '1', '--per-month', '2000');
if (!JSON.parse(cli(big, 'user', 'list')).some((u) => u.username === 'bench.leader'))
  cli(big, 'user', 'add', 'bench.leader', 'leader', '--password', PASSWORD);
const a = await serve(demo);
const login = await best(3, () => measure(a.url, '/login', 'input[name=username]'));
const work = await best(3, () => measure(a.url, '/workbench', '.queue .el-table__body tr, .queue .el-empty', 'dispatcher', 'mz13710#dis'));
const caseId = JSON.parse(cli(demo, 'case', 'list', '--status', 'accepted', '--limit', '1'))[0]?.id ?? 1;
const one = await best(3, () => measure(a.url, `/cases/${caseId}`, '.case .steps .el-table__body tr', 'dispatcher', 'mz13710#dis'));
await a.stop();
const b = await serve(big);
const dash = await best(2, () => measure(b.url, '/dashboard?from=2026-03-01&to=2026-04-30', '.dash[data-loaded=true]', 'bench.leader', PASSWORD));
await b.stop();
// the 码上评 page: its code from the demo's points, through the API as an administrator would
const c = await serve(demo);
const ctx = await browser.newContext();
await ctx.request.post(`${c.url}/api/v1/auth/login`, { data: { username: 'admin', password: 'mz13710#adm' } });
const code = (await (await ctx.request.get(`${c.url}/api/v1/service-points`)).json()).points[0].code;
await ctx.close();
const qr = await best(3, () => measure(c.url, `/q/${code}`, '#form:not([hidden])'));
await c.stop();
await browser.close();

const row = (name, r, budget) => console.log(`| ${name} | ${kb(r.bytes)} transferred, usable in ${r.ms} ms | sign-in page ${kb(login.bytes)}, ${login.ms} ms | bytes ${ratio(r.bytes, login.bytes)}, time ${ratio(r.ms, login.ms)} | ${budget} |`);
row('workbench (dispatcher), cold', work, `< 1 MB: ${work.bytes < 1048576 ? 'met' : 'NOT met'}`);
row('case page, cold', one, '');
row('dashboard over 1,000,000 cases (leader, two months), cold', dash, '');
row('码上评 page on a phone, cold', qr, `< 50 KB: ${qr.bytes < 51200 ? 'met' : 'NOT met'}`);
