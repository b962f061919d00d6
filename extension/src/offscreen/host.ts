// The policy host: policy.wasm loaded once per extension context and a request
// handler. Used by the offscreen document and by the in-page policy frame.

import { loadPolicy, type PolicyEngine } from '../policy/loader.js';
import type { PolicyRequest, PolicyResponse } from '../shared/types';

let engine: PolicyEngine | null = null;
let loadError = '';
export const ready: Promise<void> = loadPolicy(fetch(chrome.runtime.getURL('policy.wasm')))
  .then((e) => { engine = e; })
  .catch((e: unknown) => { loadError = `policy.wasm failed to load: ${(e as Error).message}`; console.error(loadError); });

export function handle(req: PolicyRequest): PolicyResponse {
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

/** answer handles a request once the engine is loaded (or failed to load). */
export function answer(req: PolicyRequest, reply: (r: PolicyResponse) => void): void {
  if (engine || loadError) { reply(handle(req)); return; }
  void ready.then(() => reply(handle(req)));
}
