// E2E harness: real Chromium with the real extension, fixture pages served
// over HTTPS as https://sellercentral.amazon.com/... (host-resolver rules +
// a self-signed certificate made with openssl), and the real companion.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const repo = resolve(root, '..');
export const dist = process.env.EXT_DIST ? resolve(process.env.EXT_DIST) : join(root, 'dist');
export const fixtures = join(root, 'test', 'fixtures');
export const EXTENSION_ID = readFileSync(join(root, 'EXTENSION_ID'), 'utf8').trim();
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ORDER = '111-2222222-3333333';

// Children this process started (browsers, companions): killed if the test
// process exits early (timeout, Ctrl+C), so no browser outlives its run.
const children = new Set();
process.on('exit', () => { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL'); });
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(130));
function track(proc) { children.add(proc); proc.once('exit', () => children.delete(proc)); return proc; }

const STRICT_CSP = "script-src 'self'; object-src 'none'; base-uri 'none'";

/** Routes: path prefix -> fixture file (and CSP). Longest prefix wins. */
const ROUTES = [
  ['/messaging/inbox/thread', 'thread.html'],
  ['/messaging/inbox/strict', 'thread.html', STRICT_CSP],
  ['/messaging/inbox/rich', 'rich.html'],
  ['/messaging/contact', 'contact.html', STRICT_CSP],
  ['/home', 'spa.html'],
];

function selfSignedCert(dir) {
  const key = join(dir, 'key.pem'), cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
    '-subj', '/CN=sellercentral.amazon.com', '-addext', 'subjectAltName=DNS:sellercentral.amazon.com,DNS:sellercentral.amazon.de'], { stdio: 'ignore' });
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

/** startFixtures serves test/fixtures over HTTPS on a loopback port. */
export async function startFixtures(dir) {
  const tls = selfSignedCert(dir);
  const server = createServer(tls, (req, res) => {
    const url = new URL(req.url, 'https://x');
    let file, csp;
    if (url.pathname.startsWith('/static/')) file = url.pathname.slice(1);
    else {
      const r = ROUTES.filter(([p]) => url.pathname.startsWith(p)).sort((a, b) => b[0].length - a[0].length)[0];
      if (r) [, file, csp] = r;
    }
    const path = file && join(fixtures, file);
    if (!path || !path.startsWith(fixtures) || !existsSync(path)) { res.writeHead(404); res.end('not found'); return; }
    const type = path.endsWith('.js') ? 'text/javascript' : path.endsWith('.css') ? 'text/css' : 'text/html; charset=utf-8';
    const headers = { 'content-type': type, 'cache-control': 'no-store' };
    if (csp) headers['content-security-policy'] = csp;
    res.writeHead(200, headers);
    res.end(readFileSync(path));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { port: server.address().port, close: () => new Promise((ok) => server.close(ok)) };
}

/** launch starts Chromium with the extension and connects Playwright over CDP. */
export async function launch({ fixturePort, dir, extraArgs = [], ext = dist }) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: apt-get install -y chromium (make test does this)`);
  if (!existsSync(join(ext, 'manifest.json'))) throw new Error(`${ext}/manifest.json missing: run \`make extension\``);
  const profile = mkdtempSync(join(dir, 'profile-'));
  const args = [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--no-default-browser-check',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    `--user-data-dir=${profile}`, '--remote-debugging-port=0',
    `--load-extension=${ext}`, `--disable-extensions-except=${ext}`,
    `--host-resolver-rules=MAP sellercentral.amazon.com 127.0.0.1:${fixturePort},MAP sellercentral.amazon.de 127.0.0.1:${fixturePort},EXCLUDE localhost`,
    '--ignore-certificate-errors', '--window-size=1280,900', '--force-device-scale-factor=1',
    ...extraArgs, 'about:blank',
  ];
  const proc = track(spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'pipe'] }));
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  try {
    return await connect(proc, profile, () => stderr);
  } catch (e) {
    // Never leave a browser behind when the launch itself fails.
    proc.kill('SIGKILL');
    throw e;
  }
}

async function connect(proc, profile, stderrOf) {
  const stderr = { toString: stderrOf };
  const portFile = join(profile, 'DevToolsActivePort');
  let port = '';
  for (let i = 0; i < 800 && !port; i++) { // up to 40 s on a loaded machine
    if (proc.exitCode !== null) throw new Error(`chromium exited: ${stderr}`);
    if (existsSync(portFile)) port = readFileSync(portFile, 'utf8').split('\n')[0].trim();
    if (!port) await sleep(50);
  }
  if (!port) throw new Error(`chromium did not open its debugging port: ${stderr}`);
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  const context = browser.contexts()[0];
  const worker = context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`))
    ?? await context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`), timeout: 30000 });
  return {
    browser, context, worker, proc,
    async close() {
      await browser.close().catch(() => {});
      if (proc.exitCode === null) { proc.kill('SIGTERM'); await Promise.race([new Promise((ok) => proc.once('exit', ok)), sleep(3000)]); }
      if (proc.exitCode === null) { proc.kill('SIGKILL'); await new Promise((ok) => proc.once('exit', ok)); }
      // Chromium's helper processes may still be flushing the profile for a moment.
      try { rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }); } catch { /* a temp dir; not worth failing a run */ }
    },
  };
}

/** Opens a fixture page and waits until the content script attached to its reply box(es). */
export async function openFixture(context, path, { boxes = 1 } = {}) {
  const page = await context.newPage();
  await page.goto(`https://sellercentral.amazon.com${path}`);
  if (boxes > 0) await page.waitForFunction((n) => Number(document.querySelector('replyguard-ui')?.dataset.boxes ?? 0) >= n && document.querySelector('replyguard-ui')?.dataset.ready === '1', boxes, { timeout: 30000 });
  return page;
}

export function freePort() {
  return new Promise((ok, fail) => {
    import('node:net').then(({ createServer: cs }) => {
      const s = cs().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); }).on('error', fail);
    });
  });
}

/** startCompanion runs the real `replyguard serve` on a loopback port with a data dir. */
export async function startCompanion({ port, data }) {
  const bin = process.env.REPLYGUARD_BIN || join(repo, 'bin', 'replyguard');
  if (!existsSync(bin)) throw new Error(`${bin} missing: run make build`);
  const proc = track(spawn(bin, ['serve', '--addr', `127.0.0.1:${port}`, '--data', data], { stdio: ['ignore', 'pipe', 'pipe'] }));
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`companion exited ${proc.exitCode}: ${log}`);
    try { const r = await fetch(`http://127.0.0.1:${port}/api/status`); if (r.ok) break; } catch { /* not yet */ }
    await sleep(50);
  }
  return {
    proc, port, log: () => log,
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      await Promise.race([new Promise((ok) => proc.once('exit', ok)), sleep(5000)]);
      if (proc.exitCode === null) { proc.kill('SIGKILL'); await new Promise((ok) => proc.once('exit', ok)); }
    },
  };
}

/** pairingCode asks the companion's local page API for a one-time code (CSRF double-submit like the page). */
export async function pairingCode(port) {
  const base = `http://127.0.0.1:${port}`;
  const r = await fetch(`${base}/api/csrf`);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
  const { token } = await r.json();
  const p = await fetch(`${base}/api/pairing-codes`, { method: 'POST', headers: { 'x-csrf-token': token, cookie, origin: base } });
  if (!p.ok) throw new Error(`pairing code: HTTP ${p.status} ${await p.text()}`);
  return (await p.json()).code;
}

/** Sends a request to the service worker like the extension's pages do. */
export function toWorker(page, msg) {
  return page.evaluate((m) => chrome.runtime.sendMessage({ to: 'worker', ...m }), msg);
}

export async function extensionPage(context, path) {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/${path}`);
  return page;
}

export function tmp() { return mkdtempSync(join(tmpdir(), 'rg-e2e-')); }

export async function until(fn, { timeout = 20000, interval = 50, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try { last = await fn(); if (last) return last; } catch (e) { last = e; }
    await sleep(interval);
  }
  throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}
