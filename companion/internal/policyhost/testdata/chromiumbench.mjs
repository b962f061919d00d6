// The DESIGN.md budget line "lint 2,000 characters, policy.wasm in
// Chromium: p50 <= 100 us, p99 <= 300 us", measured in Chromium itself: the
// extension's loader and policy.wasm on a local page, the same texts as
// bench_test.go and v8bench.mjs.
//
//   node chromiumbench.mjs LOADER.js POLICY.wasm
// Needs extension/node_modules (playwright-core) and /usr/bin/chromium (make chromium).
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [loaderPath, wasmPath] = process.argv.slice(2);
const repo = resolve(here, '..', '..', '..', '..');
const exe = process.env.CHROMIUM || '/usr/bin/chromium';
if (!existsSync(exe)) {
  console.log(`BenchmarkChromiumLint: skipped, no ${exe} (make chromium)`);
  process.exit(0);
}
const { chromium } = createRequire(join(repo, 'extension', 'package.json'))('playwright-core');

const page = `<!doctype html><meta charset=utf-8><script type=module>
import { loadPolicy } from '/loader.js';
const t0 = performance.now();
const engine = await loadPolicy(fetch('/policy.wasm'));
const startMs = performance.now() - t0;
const base = await (await fetch('/bench.txt')).text();
function benchText(n) { let out = ''; for (;;) for (const ch of base) { if (out.length + ch.length > n) return out; out += ch; } }
const ctx = { kind: 'reply', now: '2026-01-20T10:00:00Z' };
const rows = [];
for (const n of [200, 2000, 20000]) {
  const text = benchText(n), iters = n >= 20000 ? 300 : 2000;
  // Warm up for a second: V8 tiers each wasm function up to optimised code
  // in the background once it is hot; steady state is what a seller typing sees.
  for (const until = performance.now() + 1000; performance.now() < until;) engine.lintJSON(text, ctx);
  const s = new Float64Array(iters);
  for (let i = 0; i < iters; i++) { const a = performance.now(); engine.lintJSON(text, ctx); s[i] = (performance.now() - a) * 1000; }
  s.sort();
  rows.push({ n, iters, p50: s[Math.floor(iters / 2)], p99: s[Math.floor(iters * 0.99)] });
}
window.result = { startMs, rows, isolated: crossOriginIsolated };
</script>`;
const files = {
  '/': ['text/html', page],
  '/loader.js': ['text/javascript', readFileSync(loaderPath)],
  '/policy.wasm': ['application/wasm', readFileSync(wasmPath)],
  '/bench.txt': ['text/plain; charset=utf-8', readFileSync(join(here, 'bench.txt'))],
};
const server = createServer((req, res) => {
  const f = files[req.url];
  if (!f) return res.writeHead(404).end();
  // Cross-origin isolation gives performance.now() 5 us resolution instead
  // of 100 us.
  res.writeHead(200, {
    'content-type': f[0],
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
  }).end(f[1]);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({
  executablePath: exe,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let over = false;
try {
  const p = await browser.newPage();
  await p.goto(`http://127.0.0.1:${server.address().port}/`);
  await p.waitForFunction(() => window.result, null, { timeout: 300_000 });
  const { startMs, rows, isolated } = await p.evaluate(() => window.result);
  console.log(`Chromium ${browser.version()}: policy.wasm fetch+compile+instantiate ${startMs.toFixed(1)} ms` +
    (isolated ? '' : ' (not cross-origin isolated: timings are coarse)'));
  for (const r of rows) {
    let line = `BenchmarkChromiumLint/${r.n}\t${r.iters}\tp50 ${r.p50.toFixed(1)} us\tp99 ${r.p99.toFixed(1)} us`;
    if (r.n === 2000) {
      const ok = r.p50 <= 100 && r.p99 <= 300;
      over = !ok;
      line += `\t(budget p50 <= 100 us, p99 <= 300 us: ${ok ? 'ok' : 'OVER'})`;
    }
    console.log(line);
  }
} finally {
  await browser.close();
  server.close();
}
if (over) console.log('Chromium lint budget: OVER');
