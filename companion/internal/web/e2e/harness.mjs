// Harness for the local page's end-to-end tests: a real companion
// (bin/replyguard serve) on a seeded data directory, Debian's Chromium
// driven by playwright-core (from extension/node_modules), and a tiny
// websocket client for the pairing check.
import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const require = createRequire(join(repo, 'extension', 'package.json'));
export const { chromium } = require('playwright-core');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const BIN = process.env.REPLYGUARD_BIN || join(repo, 'bin', 'replyguard');
// Screenshots go to a temporary folder, so a test run leaves the tree as it
// was; `make screenshots` points SCREENSHOTS at docs/screenshots to refresh them.
export const SHOTS = process.env.SCREENSHOTS ? resolve(process.env.SCREENSHOTS) : join(tmpdir(), 'replyguard-screenshots');
export const EXTENSION_ID = 'lfafmbajngejkaeajgpmadbfoaoldpgk';
export const SEARCH_WORD = 'periwinkle';
export const THREAD_ORDER = '114-3941689-8772232';

export function tmp() { return mkdtempSync(join(tmpdir(), 'rg-web-')); }

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); }).on('error', fail);
  });
}

/** seed fills dir with the demo data (companion/internal/web/demo). */
export function seed(dir) {
  const bin = process.env.RG_SEED;
  if (bin) execFileSync(bin, [dir], { stdio: 'inherit' });
  else execFileSync('go', ['run', './companion/internal/web/demo/seed', dir], { cwd: repo, stdio: 'inherit' });
}

/** startCompanion runs the real companion and waits until the policy engine is up. */
export async function startCompanion(data) {
  if (!existsSync(BIN)) throw new Error(`${BIN} missing: run make build`);
  const port = await freePort();
  const proc = spawn(BIN, ['serve', '--addr', `127.0.0.1:${port}`, '--data', data], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`companion exited ${proc.exitCode}: ${log}`);
    if (i > 400) throw new Error(`companion not ready: ${log}`);
    try {
      const r = await fetch(`${base}/api/status`);
      if (r.ok && (await r.json()).policy_ready) {
        // Built-in templates are seeded right after the engine starts.
        const t = await fetch(`${base}/templates/refund-issued`);
        if (t.ok) break;
      }
    } catch { /* not yet */ }
    await sleep(50);
  }
  return {
    port, base, log: () => log,
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      await Promise.race([new Promise((ok) => proc.once('exit', ok)), sleep(5000)]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
    },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--font-render-hinting=none'],
  });
}

/** newPage opens a page that records console errors and CSP violations. */
export async function newPage(browser, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC', ...opts });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(m.text()); });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  return page;
}

export async function shot(page, name, { full = false } = {}) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, name), fullPage: full });
}

/** underlines returns the extension overlay's underlined spans: [{text, cls}]. */
export function underlines(page) {
  return page.evaluate(() => {
    const host = document.querySelector('replyguard-ui');
    return host ? Array.from(host.shadowRoot.querySelectorAll('.rg-u')).map((s) => ({ text: s.textContent, cls: s.className })) : [];
  });
}

export async function until(fn, { timeout = 10000, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * wsSession opens ws://127.0.0.1:port/ws with an Origin (node 20 has no
 * WebSocket client that sets one) and returns send/next for JSON frames.
 */
export function wsSession(port, origin) {
  return new Promise((ok, fail) => {
    const key = randomBytes(16).toString('base64');
    const sock = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let upgraded = false;
    const frames = [];
    const waiters = [];
    const push = (v) => { const w = waiters.shift(); if (w) w(v); else frames.push(v); };
    sock.on('error', fail);
    sock.on('close', () => push(null));
    sock.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nOrigin: ${origin}\r\n` +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString();
        buf = buf.subarray(end + 4);
        if (!head.startsWith('HTTP/1.1 101')) { sock.destroy(); fail(new Error(head.split('\r\n')[0])); return; }
        const accept = createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
        if (!head.includes(accept)) { fail(new Error('bad Sec-WebSocket-Accept')); return; }
        upgraded = true;
        ok(session);
      }
      for (;;) {
        if (buf.length < 2) return;
        const op = buf[0] & 0x0f;
        let len = buf[1] & 0x7f, off = 2;
        if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); off = 4; }
        else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); off = 10; }
        if (buf.length < off + len) return;
        const payload = buf.subarray(off, off + len);
        buf = buf.subarray(off + len);
        if (op === 1) push(JSON.parse(payload.toString()));
        else if (op === 8) push({ closed: payload.length >= 2 ? payload.readUInt16BE(0) : 1005, reason: payload.subarray(2).toString() });
        else if (op === 9) sock.write(frame(0xa, payload));
      }
    });
    const frame = (op, data) => {
      const mask = randomBytes(4);
      const len = data.length;
      const head = len < 126 ? Buffer.from([0x80 | op, 0x80 | len]) : Buffer.from([0x80 | op, 0x80 | 126, len >> 8, len & 255]);
      const body = Buffer.from(data.map((b, i) => b ^ mask[i % 4]));
      return Buffer.concat([head, mask, body]);
    };
    const session = {
      send(obj) { sock.write(frame(1, Buffer.from(JSON.stringify(obj)))); },
      next(timeout = 5000) {
        if (frames.length) return Promise.resolve(frames.shift());
        return new Promise((res, rej) => {
          const t = setTimeout(() => rej(new Error('no websocket frame')), timeout);
          waiters.push((v) => { clearTimeout(t); res(v); });
        });
      },
      close() { sock.destroy(); },
    };
  });
}
