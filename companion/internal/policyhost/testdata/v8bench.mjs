// V8 half of `make bench`: lint through policy.wasm with the extension's
// loader, on the same texts as bench_test.go, and print p50/p99 per size.
//
//   node v8bench.mjs LOADER.js POLICY.wasm [BENCH.txt]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [loaderPath, wasmPath, benchPath = join(dirname(fileURLToPath(import.meta.url)), 'bench.txt')] = process.argv.slice(2);
const { loadPolicy } = await import(pathToFileURL(loaderPath).href);

let t0 = performance.now();
const engine = await loadPolicy(readFileSync(wasmPath));
const startMs = performance.now() - t0;

const base = readFileSync(benchPath, 'utf8');
// Same cut as benchText in Go: whole code points up to n UTF-16 units.
function benchText(n) {
  let out = '';
  for (;;) {
    for (const ch of base) {
      if (out.length + ch.length > n) return out;
      out += ch;
    }
  }
}

const ctx = { kind: 'reply', now: '2026-01-20T10:00:00Z' };
const budget = { 2000: { p50: 100, p99: 300 } };
console.log(`V8 (Node ${process.version}): policy.wasm compile+instantiate ${startMs.toFixed(1)} ms`);
let over = false;
for (const n of [200, 2000, 20000]) {
  const text = benchText(n);
  const iters = n >= 20000 ? 300 : 2000;
  // Warm up for a second: V8 tiers each wasm function up to optimised code
  // in the background once it is hot; steady state is what a seller typing sees.
  for (const until = performance.now() + 1000; performance.now() < until;) engine.lintJSON(text, ctx);
  const samples = new Float64Array(iters);
  for (let i = 0; i < iters; i++) {
    const s = performance.now();
    engine.lintJSON(text, ctx);
    samples[i] = (performance.now() - s) * 1000;
  }
  samples.sort();
  const q = (p) => samples[Math.min(iters - 1, Math.floor(p * iters))];
  let line = `BenchmarkV8Lint/${n}\t${iters}\tp50 ${q(0.5).toFixed(1)} us\tp99 ${q(0.99).toFixed(1)} us\tmean ${(samples.reduce((a, b) => a + b, 0) / iters).toFixed(1)} us`;
  const b = budget[n];
  if (b) {
    const ok = q(0.5) <= b.p50 && q(0.99) <= b.p99;
    over ||= !ok;
    line += `\t(budget p50 <= ${b.p50} us, p99 <= ${b.p99} us: ${ok ? 'ok' : 'OVER'})`;
  }
  console.log(line);
}
// Over budget is printed, not fatal: the rest of `make bench` still runs.
if (over) console.log("V8 lint budget: OVER");
