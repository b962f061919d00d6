// Client side of the "policy" port to the offscreen document. Used by content
// scripts and extension pages. If the port drops (offscreen document not yet
// created, extension reloaded) it asks the service worker to create the
// document and reconnects; requests in flight are retried once.

import type { Classification, Finding, LintContext, PolicyRequest, PolicyResponse, RuleInfo } from './types';

type Pending = { req: PolicyRequest; resolve: (r: PolicyResponse) => void; reject: (e: Error) => void; tries: number };
type Body<T> = T extends unknown ? Omit<T, 'id'> : never;

export class PolicyClient {
  private port: chrome.runtime.Port | null = null;
  private connecting: Promise<chrome.runtime.Port> | null = null;
  private seq = 0;
  private pending = new Map<number, Pending>();

  private async connect(): Promise<chrome.runtime.Port> {
    if (this.port) return this.port;
    if (!this.connecting) {
      this.connecting = (async () => {
        await chrome.runtime.sendMessage({ to: 'worker', type: 'ensure-offscreen' });
        const port = chrome.runtime.connect({ name: 'policy' });
        port.onMessage.addListener((res: PolicyResponse) => {
          const p = this.pending.get(res.id);
          if (!p) return;
          this.pending.delete(res.id);
          p.resolve(res);
        });
        port.onDisconnect.addListener(() => {
          this.port = null;
          const retry = [...this.pending.values()];
          this.pending.clear();
          for (const p of retry) {
            if (p.tries < 2) void this.send(p.req, p.tries + 1).then(p.resolve, p.reject);
            else p.reject(new Error('policy host disconnected'));
          }
        });
        this.port = port;
        return port;
      })().finally(() => { this.connecting = null; });
    }
    return this.connecting;
  }

  private async send(req: PolicyRequest, tries = 0): Promise<PolicyResponse> {
    const port = await this.connect();
    return new Promise((resolve, reject) => {
      this.pending.set(req.id, { req, resolve, reject, tries });
      port.postMessage(req);
    });
  }

  private async call(body: Body<PolicyRequest>): Promise<PolicyResponse> {
    const res = await this.send({ ...body, id: ++this.seq } as PolicyRequest);
    if (!res.ok) throw new Error(res.error ?? 'policy error');
    return res;
  }

  async lint(text: string, ctx: LintContext): Promise<{ findings: Finding[]; ms: number }> {
    const r = await this.call({ op: 'lint', text, ctx });
    return { findings: r.findings ?? [], ms: r.ms ?? 0 };
  }
  async classify(text: string): Promise<Classification> {
    return (await this.call({ op: 'classify', text })).classification ?? { scenario: 'other', confidence: 0 };
  }
  async rules(): Promise<{ rules: RuleInfo[]; version: string }> {
    const r = await this.call({ op: 'rules' });
    return { rules: r.rules ?? [], version: r.version ?? '' };
  }
}
