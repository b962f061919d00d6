// Behaviour of the extension's loader that the conformance run does not
// reach: input errors, a crash inside the module and the restart after it,
// and loading from a fetch Response. Run by TestV8Loader.
//
//   node loader_test.mjs LOADER.js POLICY.wasm
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [loaderPath, wasmPath] = process.argv.slice(2);
const { loadPolicy, PolicyError } = await import(pathToFileURL(loaderPath).href);
const bytes = readFileSync(wasmPath);

// Loading from a Response, as the offscreen document does with fetch().
// No application/wasm type here, so the loader must fall back.
const fromResponse = await loadPolicy(Promise.resolve(new Response(bytes)));
assert.match(fromResponse.version, /\S/);
const typed = await loadPolicy(new Response(bytes, { headers: { 'content-type': 'application/wasm' } }));
assert.equal(typed.version, fromResponse.version);

// Wrap instantiate so the test can make one export trap, as a real crash
// (a Go fatal error ends in proc_exit or unreachable) would.
const realInstantiate = WebAssembly.instantiate;
let trapNext = false;
WebAssembly.instantiate = async (...args) => {
  const inst = await realInstantiate.apply(WebAssembly, args);
  const exports = { ...inst.exports };
  const lint = exports.lint;
  exports.lint = (...a) => {
    if (trapNext) {
      trapNext = false;
      throw new WebAssembly.RuntimeError('unreachable');
    }
    return lint(...a);
  };
  return { exports };
};
const logs = [];
const e = await loadPolicy(bytes, { log: (l) => logs.push(l) });
const before = e.lintJSON('Visit http://example.com 😀', { kind: 'reply' });
assert.match(before, /^\{"findings":\[/);

// Bad input: clear PolicyErrors, and the engine keeps working.
assert.throws(() => e.lint('hi', { order_date: 20250101 }), (err) => err instanceof PolicyError && /order_date/.test(err.message));
assert.throws(() => e.lint(42), (err) => err instanceof PolicyError && /string/.test(err.message));
assert.equal(e.lintJSON('Visit http://example.com 😀', { kind: 'reply' }), before);
// Empty text and lone surrogates (a JS string may hold them) are answered.
assert.deepEqual(e.lint(''), []);
assert.ok(Array.isArray(e.lint('a\uD800b \uDC00')));

// A crash: reported as a PolicyError, then the loader restarts itself.
trapNext = true;
assert.throws(() => e.lintJSON('hello'), (err) => err instanceof PolicyError && /crashed/.test(err.message));
assert.throws(() => e.lintJSON('hello'), (err) => err instanceof PolicyError && /restarting/.test(err.message));
for (let i = 0; i < 100 && !tryLint(); i++) await new Promise((r) => setTimeout(r, 20));
assert.equal(e.lintJSON('Visit http://example.com 😀', { kind: 'reply' }), before, 'same answer after the restart');
assert.deepEqual(logs, []);
console.log('ok');

function tryLint() {
  try {
    e.lintJSON('x');
    return true;
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    return false;
  }
}
