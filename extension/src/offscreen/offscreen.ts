// The offscreen document: ReplyGuard's policy host. It runs policy.wasm in an
// extension context, whose CSP allows 'wasm-unsafe-eval', so linting works
// whatever the Seller Central page's own CSP is. Content scripts and extension
// pages reach it over chrome.runtime ports named "policy" (one hop, no
// service-worker relay, which keeps keystroke-to-underline latency low).

import { loadPolicy, type PolicyEngine } from '../policy/loader.js';
import type { PolicyRequest, PolicyResponse } from '../shared/types';

let engine: PolicyEngine | null = null;
let loadError = '';
const ready: Promise<void> = loadPolicy(fetch(chrome.runtime.getURL('policy.wasm')))
  .then((e) => { engine = e; })
  .catch((e: unknown) => { loadError = `policy.wasm failed to load: ${(e as Error).message}`; console.error(loadError); });

function handle(req: PolicyRequest): PolicyResponse {
  if (!engine) return { id: req.id, ok: false, error: loadError || 'policy engine not loaded' };
  const t0 = performance.now();
  try {
    switch (req.op) {
      case 'lint': {
        const findings = engine.lint(req.text, req.ctx) ?? [];
        return { id: req.id, ok: true, findings, ms: performance.now() - t0 };
      }
      case 'classify':
        return { id: req.id, ok: true, classification: engine.classify(req.text), ms: performance.now() - t0 };
      case 'rules': {
        const cat = engine.rules();
        return { id: req.id, ok: true, rules: cat.rules ?? [], version: cat.version };
      }
      case 'version':
        return { id: req.id, ok: true, version: engine.version };
    }
  } catch (e) {
    return { id: req.id, ok: false, error: (e as Error).message };
  }
  return { id: (req as { id: number }).id, ok: false, error: 'unknown op' };
}

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== 'policy') return;
  port.onMessage.addListener((req: PolicyRequest) => {
    if (engine) { port.postMessage(handle(req)); return; }
    void ready.then(() => port.postMessage(handle(req)));
  });
});

// Extension pages (options) may also ask with sendMessage.
chrome.runtime.onMessage.addListener((msg, _sender, respond) => {
  if (!msg || msg.to !== 'policy') return false;
  void ready.then(() => respond(handle(msg.req as PolicyRequest)));
  return true;
});
