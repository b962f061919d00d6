// Runs requests through policy.wasm in Node's V8 with the extension's own
// loader, for the Go conformance test.
//
//   node v8run.mjs LOADER.js POLICY.wasm < requests.jsonl > answers.jsonl
//
// Request lines: {"op":"lint","text","context"?} | {"op":"classify","text"} | {"op":"rules"}
// Answer lines: the module's JSON answer, byte for byte, or {"error":"..."}.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const [loaderPath, wasmPath] = process.argv.slice(2);
const { loadPolicy, PolicyError } = await import(pathToFileURL(loaderPath).href);
const engine = await loadPolicy(readFileSync(wasmPath), { log: (l) => process.stderr.write(`wasm: ${l}\n`) });

const out = [];
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (!line.trim()) continue;
  const req = JSON.parse(line);
  let ans;
  try {
    if (req.op === 'lint') ans = engine.lintJSON(req.text, req.context);
    else if (req.op === 'classify') ans = engine.classifyJSON(req.text);
    else if (req.op === 'rules') ans = engine.rulesJSON();
    else throw new Error(`unknown op ${req.op}`);
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e;
    ans = JSON.stringify({ error: e.message });
  }
  out.push(ans);
}
process.stdout.write(out.join('\n') + '\n');
