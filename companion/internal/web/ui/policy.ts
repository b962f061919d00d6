// The page's policy engine: the extension's own loader running the same
// policy.wasm the companion embeds, so underlines here are the extension's.
import { loadPolicy, type PolicyEngine } from '../../../../extension/src/policy/loader.js';
import type { Classification, Finding, LintContext, RuleInfo } from '../../../../extension/src/shared/types';

export interface PagePolicy {
  engine: PolicyEngine;
  rules: Map<string, RuleInfo>;
  /** Shaped like the extension's PolicyClient so its Controller can use it. */
  client: {
    lint(text: string, ctx: LintContext): Promise<{ findings: Finding[]; ms: number }>;
    classify(text: string): Promise<Classification>;
    rules(): Promise<{ rules: RuleInfo[]; version: string }>;
  };
}

let loading: Promise<PagePolicy> | null = null;

export function policy(): Promise<PagePolicy> {
  if (loading) return loading;
  const url = document.getElementById('rg-app')?.dataset['wasm'];
  loading = (async () => {
    if (!url) throw new Error('policy.wasm is not part of this page');
    const engine = await loadPolicy(fetch(url));
    const cat = engine.rules();
    const rules = new Map(cat.rules.map((r) => [r.id, r]));
    const client = {
      async lint(text: string, ctx: LintContext) {
        const t0 = performance.now();
        return { findings: engine.lint(text, ctx), ms: performance.now() - t0 };
      },
      async classify(text: string) { return engine.classify(text); },
      async rules() { return cat; },
    };
    return { engine, rules, client };
  })();
  return loading;
}
