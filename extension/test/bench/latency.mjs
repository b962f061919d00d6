// Keystroke-to-underline latency in Chromium on the strict-CSP fixture page
// (script-src 'self': policy.wasm runs in the offscreen document), with a
// 2,000-character reply. Budget (DESIGN.md): p95 <= 16 ms.
//
// Each sample is one real key press sent through CDP. The clock starts at the
// input event's timeStamp (when the renderer received the key) and stops in
// the requestAnimationFrame callback after the underlines for that exact text
// are in the DOM, i.e. the frame that paints them. "rendered" stops when the
// DOM update is done, before waiting for that frame. "own frame" is the first
// frame after the key, where the typed character itself is painted: the
// floor any design could reach.
//
//   node test/bench/latency.mjs [--samples N]     (BENCH_STRICT=1: exit 1 when over budget)
import { launch, openFixture, startFixtures, tmp, ORDER } from '../e2e/harness.mjs';

const samples = Number(process.argv[process.argv.indexOf('--samples') + 1]) || 300;
const budget = 16;

const para = 'Hello Maria, thank you for your message about your order. We are sorry the parcel is late; the carrier shows it in transit and it should arrive within two days. ';
let text = '';
while (text.length < 1950) text += para;
text = text.slice(0, 1950) + ' Email bob@example.com or visit www.example.com.';
text = text.slice(0, 2000);

const dir = tmp();
const fx = await startFixtures(dir);
const b = await launch({ fixturePort: fx.port, dir, extraArgs: (process.env.BENCH_ARGS ?? '').split(' ').filter(Boolean) });
let code = 0;
try {
  const page = await openFixture(b.context, `/messaging/inbox/strict?orderId=${ORDER}`);
  await page.click('textarea');
  await page.keyboard.insertText(text);
  await page.waitForFunction(() => document.querySelector('replyguard-ui').shadowRoot.querySelectorAll('.rg-u').length >= 2, null, { timeout: 15000 });
  const seq = () => page.evaluate(() => Number(document.querySelector('replyguard-ui').dataset.seq ?? 0));
  const total = [], rendered = [], rtt = [], wasm = [], handler = [], own = [], late = [];
  const keys = 'abcdefghij';
  for (let i = 0; i < samples + 20; i++) {
    const before = await seq();
    // Alternate a letter and Backspace so the reply stays at 2,000 characters.
    await page.keyboard.press(i % 2 ? 'Backspace' : keys[(i / 2) % keys.length | 0]);
    // Leave the browser alone while the keystroke is processed (polling over CDP
    // would load the browser process the extension messages go through), then check.
    await new Promise((r) => setTimeout(r, 60));
    await page.waitForFunction((n) => Number(document.querySelector('replyguard-ui').dataset.seq ?? 0) > n, before, { timeout: 5000, polling: 25 });
    const d = await page.evaluate(() => { const ds = document.querySelector('replyguard-ui').dataset; return { l: Number(ds.latency), r: Number(ds.rendered), rtt: Number(ds.rtt), w: Number(ds.wasm), h: Number(ds.handler), own: ds.ownFrame === '' ? NaN : Number(ds.ownFrame), late: ds.lateBy === '' ? NaN : Number(ds.lateBy) }; });
    if (i >= 20) { // the first 20 warm up
      total.push(d.l); rendered.push(d.r); rtt.push(d.rtt); wasm.push(d.w); handler.push(d.h);
      if (!Number.isNaN(d.own)) { own.push(d.own); late.push(d.late); }
    }
  }
  const underlined = await page.evaluate(() => [...document.querySelector('replyguard-ui').shadowRoot.querySelectorAll('.rg-u')].map((s) => s.textContent));
  const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
  const len = await page.evaluate(() => document.querySelector('textarea').value.length);
  console.log(`extension keystroke-to-underline, strict-CSP page, ${len}-char reply, ${total.length} keystrokes (underlined: ${underlined.join(' | ')})`);
  console.log(`  to painted frame: p50 ${pct(total, 50).toFixed(2)} ms  p95 ${pct(total, 95).toFixed(2)} ms  p99 ${pct(total, 99).toFixed(2)} ms  max ${Math.max(...total).toFixed(2)} ms   (budget p95 <= ${budget} ms)`);
  console.log(`  to DOM updated:   p50 ${pct(rendered, 50).toFixed(2)} ms  p95 ${pct(rendered, 95).toFixed(2)} ms  p99 ${pct(rendered, 99).toFixed(2)} ms`);
  console.log(`  lint round trip content script -> offscreen policy.wasm -> back: p50 ${pct(rtt, 50).toFixed(2)} ms  p95 ${pct(rtt, 95).toFixed(2)} ms; inside policy.wasm: p50 ${pct(wasm, 50).toFixed(3)} ms  p95 ${pct(wasm, 95).toFixed(3)} ms`);
  console.log(`  main-thread cost of each keystroke in the page (input handler): p50 ${pct(handler, 50).toFixed(3)} ms  p95 ${pct(handler, 95).toFixed(3)} ms`);
  // The floor: the frame after the key is the earliest anything the key
  // causes can be painted, the typed character included. A lint taking no
  // time would measure this; its p95 is close to a whole frame because keys
  // arrive at any point of one.
  if (own.length) {
    const same = late.filter((x) => x < 1).length;
    console.log(`  the keystroke's own frame (the floor: a lint taking no time): p50 ${pct(own, 50).toFixed(2)} ms  p95 ${pct(own, 95).toFixed(2)} ms`);
    console.log(`  underline painted in the keystroke's own frame: ${same} of ${late.length} (${(100 * same / late.length).toFixed(0)}%); later: p95 ${pct(late, 95).toFixed(2)} ms after it`);
  }
  const load = (await import('node:os')).loadavg()[0];
  console.log(`  machine load average ${load.toFixed(1)} on ${(await import('node:os')).cpus().length} cores`);
  const ok = pct(total, 95) <= budget;
  console.log(`  ${ok ? 'PASS' : 'FAIL'}: p95 ${pct(total, 95).toFixed(2)} ms ${ok ? '<=' : '>'} ${budget} ms`);
  // Reported, not fatal by default: `make bench` goes on to the other benchmarks.
  if (!ok && process.env.BENCH_STRICT) code = 1;
} finally {
  await b.close();
  await fx.close();
}
process.exit(code);
