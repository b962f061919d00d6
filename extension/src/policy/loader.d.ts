// Types for loader.js (kept as plain JavaScript so Node runs it unbuilt).
import type { Classification, Finding, LintContext, RuleInfo } from '../shared/types';

/** The engine rejected its input, or crashed (it then restarts itself). */
export declare class PolicyError extends Error {}

export interface Catalog {
  version: string;
  rules: RuleInfo[];
}

export declare class PolicyEngine {
  /** policy.Version of the loaded engine. */
  readonly version: string;
  /** ABI version the module speaks (wasm/README.md). */
  readonly abi: number;
  start(): Promise<void>;
  lint(text: string, ctx?: LintContext): Finding[];
  lintJSON(text: string, ctx?: LintContext): string;
  classify(text: string): Classification;
  classifyJSON(text: string): string;
  rules(): Catalog;
  rulesJSON(): string;
}

export declare function loadPolicy(
  source: BufferSource | WebAssembly.Module | Response | Promise<Response>,
  options?: { log?: (line: string) => void },
): Promise<PolicyEngine>;
