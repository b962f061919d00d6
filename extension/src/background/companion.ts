// Client for the companion's websocket protocol (docs/protocol.md, v1).
//
// Runs in the service worker. Transport, storage, clock and timers are
// injected so the unit tests drive the real state machine with an in-memory
// socket. Guarantees:
//  - reply.record and message.seen go through a durable outbox (storage)
//    first; an entry leaves the outbox only when its ".ok" arrives, so a
//    reply made while the companion is down (or the worker is stopped) is
//    delivered later, never lost. Resending is safe: the companion dedupes by
//    reply_id / (order_id, received_at).
//  - reconnect with exponential backoff (1 s doubling to 30 s, with jitter),
//    except after a rejected token (1008 / unauthorized): then re-pair.
//  - keepalive: a ping request when the line has been quiet for 20 s; no
//    traffic for 50 s means the connection is dead and is replaced.

export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface KV {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

export interface Envelope { v: number; id?: string; re?: string; type: string; payload?: any; error?: { code: string; message: string } }

export interface OutboxEntry { key: string; type: 'reply.record' | 'message.seen'; payload: Record<string, unknown>; tries: number; lastError?: string; queuedAt: string }

export type State = 'unpaired' | 'connecting' | 'connected' | 'offline' | 'auth-failed';

export interface Options {
  socket(url: string): SocketLike;
  kv: KV;
  address(): Promise<string>;
  now?(): number;
  setTimer?(fn: () => void, ms: number): unknown;
  clearTimer?(h: unknown): void;
  random?(): number;
  onPush?(type: string, payload: any): void;
  onState?(s: State, detail?: string): void;
  onDelivered?(e: OutboxEntry, reply: any): void;
  clientName?: string;
}

export class ProtocolError extends Error {
  constructor(readonly code: string, message: string) { super(`${code}: ${message}`); }
}

/** Errors after which a queued message will never succeed as sent: kept aside, not retried forever. */
const PERMANENT = new Set(['invalid_payload', 'bad_envelope', 'too_big', 'unknown_type', 'bad_version']);

export const OUTBOX = 'outbox';
export const DEAD = 'outbox_rejected';
export const TOKEN = 'companion_token';

export class CompanionClient {
  private ws: SocketLike | null = null;
  private authed = false;
  private seq = 0;
  private waiting = new Map<string, { resolve: (p: any) => void; reject: (e: Error) => void; timer: unknown }>();
  private backoff = 1000;
  private retryTimer: unknown = null;
  private keepTimer: unknown = null;
  private lastRx = 0;
  private flushing = false;
  private stopped = false;
  state: State = 'offline';
  detail = '';
  keepaliveMs = 20000;
  lastConnected = '';

  constructor(private o: Options) {}

  private now(): number { return this.o.now ? this.o.now() : Date.now(); }
  private setTimer(fn: () => void, ms: number): unknown { return (this.o.setTimer ?? ((f, m) => setTimeout(f, m)))(fn, ms); }
  private clearTimer(h: unknown): void { if (h !== null && h !== undefined) (this.o.clearTimer ?? ((x) => clearTimeout(x as number)))(h); }

  private setState(s: State, detail = ''): void {
    if (this.state === s && this.detail === detail) return;
    this.state = s; this.detail = detail;
    this.o.onState?.(s, detail);
  }

  get connected(): boolean { return this.authed && this.ws?.readyState === 1; }

  /**
   * start connects with the stored token (no-op when unpaired or already
   * connected). It never throws: failures show in `state` and retry themselves.
   */
  async start(force = false): Promise<void> {
    this.stopped = false;
    // A rejected token stays rejected: periodic wake-ups must not hammer the
    // companion with it. Only an explicit reconnect (or pairing) tries again.
    if (this.state === 'auth-failed' && !force) return;
    if (this.ws && (this.ws.readyState === 0 || this.ws.readyState === 1)) return;
    // Two wake-ups at once (install + startup) must not open two connections.
    this.starting ??= (async () => {
      const token = (await this.o.kv.get(TOKEN)) as string | undefined;
      if (!token) { this.setState('unpaired'); return; }
      await this.open({ type: 'auth', payload: { token } }).catch(() => {});
    })().finally(() => { this.starting = null; });
    return this.starting;
  }
  private starting: Promise<void> | null = null;

  stop(): void {
    this.stopped = true;
    this.clearTimer(this.retryTimer);
    this.retryTimer = null;
    this.ws?.close(1000, 'client stop');
  }

  /** pair exchanges a one-time code for a token (stored) and leaves the connection authenticated. */
  async pair(code: string): Promise<{ client_id: string }> {
    this.stop();
    this.stopped = false;
    const ok = await this.open({ type: 'pair', payload: { code, name: this.o.clientName ?? 'ReplyGuard extension' } });
    return { client_id: ok.client_id };
  }

  private url(address: string): string {
    const a = address.trim().replace(/^(wss?|https?):\/\//, '').replace(/\/.*$/, '');
    return `ws://${a}/ws`;
  }

  /** open dials, authenticates with `first` (auth or pair) and resolves with its .ok payload. */
  private async open(first: { type: 'auth' | 'pair'; payload: Record<string, unknown> }): Promise<any> {
    this.clearTimer(this.retryTimer);
    this.retryTimer = null;
    const address = await this.o.address();
    this.setState('connecting');
    let ws: SocketLike;
    try { ws = this.o.socket(this.url(address)); } catch (e) {
      this.setState('offline', (e as Error).message);
      this.scheduleRetry();
      throw e;
    }
    this.ws = ws;
    this.authed = false;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (e: Error) => { if (!settled) { settled = true; reject(e); } };
      ws.onopen = () => {
        this.lastRx = this.now();
        this.call(first.type, first.payload, 10000).then((p) => {
          if (first.type === 'pair') void this.o.kv.set(TOKEN, p.token);
          this.authed = true;
          this.backoff = 1000;
          this.keepaliveMs = p.keepalive_ms ?? 20000;
          this.lastConnected = new Date(this.now()).toISOString();
          this.setState('connected');
          this.armKeepalive();
          settled = true;
          resolve(p);
          void this.flush();
        }, (e: Error) => {
          if (e instanceof ProtocolError && e.code === 'unauthorized') {
            this.setState('auth-failed', first.type === 'pair' ? 'That pairing code was wrong, expired or already used.' : 'The companion no longer accepts this browser: pair again.');
          }
          fail(e);
        });
      };
      ws.onmessage = (ev) => this.receive(String(ev.data));
      ws.onerror = () => { /* onclose follows */ };
      ws.onclose = (ev) => {
        if (this.ws !== ws) return;
        this.ws = null;
        this.authed = false;
        this.clearTimer(this.keepTimer);
        for (const [, w] of this.waiting) { this.clearTimer(w.timer); w.reject(new Error(`connection closed (${ev.code})`)); }
        this.waiting.clear();
        fail(new Error(`connection closed (${ev.code}${ev.reason ? `: ${ev.reason}` : ''})`));
        if (this.state === 'auth-failed' || ev.code === 1008) {
          if (this.state !== 'auth-failed') this.setState('auth-failed', ev.reason || 'The companion refused this browser: pair again.');
          return; // re-pair, do not hammer
        }
        this.setState('offline', ev.code === 1001 ? 'companion shut down' : `disconnected (${ev.code})`);
        this.scheduleRetry();
      };
    });
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    const rnd = this.o.random ? this.o.random() : Math.random();
    const delay = Math.round(this.backoff * (0.75 + rnd * 0.5));
    this.backoff = Math.min(this.backoff * 2, 30000);
    this.retryTimer = this.setTimer(() => { this.retryTimer = null; void this.start().catch(() => {}); }, delay);
  }

  /** nextRetryMs reports the current backoff (for tests and the status page). */
  get backoffMs(): number { return this.backoff; }

  private armKeepalive(): void {
    this.clearTimer(this.keepTimer);
    this.keepTimer = this.setTimer(() => {
      if (!this.ws || !this.authed) return;
      const quiet = this.now() - this.lastRx;
      if (quiet >= this.keepaliveMs * 2.5) { this.ws.close(4000, 'keepalive timeout'); return; }
      if (quiet >= this.keepaliveMs) void this.call('ping', {}, this.keepaliveMs).catch(() => {});
      this.armKeepalive();
    }, Math.max(1000, Math.floor(this.keepaliveMs / 2)));
  }

  private receive(raw: string): void {
    this.lastRx = this.now();
    let m: Envelope;
    try { m = JSON.parse(raw); } catch { return; }
    if (m.re) {
      const w = this.waiting.get(m.re);
      if (!w) return;
      this.waiting.delete(m.re);
      this.clearTimer(w.timer);
      if (m.type === 'error') w.reject(new ProtocolError(m.error?.code ?? 'error', m.error?.message ?? 'error'));
      else w.resolve(m.payload ?? {});
      return;
    }
    if (m.type === 'hello' || m.type === 'keepalive') return;
    this.o.onPush?.(m.type, m.payload);
  }

  private call(type: string, payload: unknown, timeoutMs = 10000): Promise<any> {
    const ws = this.ws;
    if (!ws || ws.readyState !== 1) return Promise.reject(new Error('companion not connected'));
    const id = `r${++this.seq}`;
    return new Promise((resolve, reject) => {
      const timer = this.setTimer(() => { this.waiting.delete(id); reject(new Error(`${type}: no answer in ${timeoutMs} ms`)); }, timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify({ v: 1, id, type, payload }));
    });
  }

  /** request sends a request on the authenticated connection. */
  request(type: string, payload: unknown = {}, timeoutMs = 10000): Promise<any> {
    if (!this.connected) return Promise.reject(new Error('companion not connected'));
    return this.call(type, payload, timeoutMs);
  }

  // ---- durable outbox --------------------------------------------------------

  async outbox(): Promise<OutboxEntry[]> { return ((await this.o.kv.get(OUTBOX)) as OutboxEntry[] | undefined) ?? []; }

  /** enqueue stores a message durably (deduped by key), then tries to deliver it. */
  async enqueue(type: OutboxEntry['type'], key: string, payload: Record<string, unknown>): Promise<void> {
    await this.mutate((q) => {
      if (!q.some((e) => e.key === key)) q.push({ key, type, payload, tries: 0, queuedAt: new Date(this.now()).toISOString() });
    });
    void this.flush();
  }

  // Storage read-modify-write, serialised so concurrent enqueues and acks never drop entries.
  private chain: Promise<unknown> = Promise.resolve();
  private mutate(fn: (q: OutboxEntry[]) => void): Promise<void> {
    const run = this.chain.then(async () => {
      const q = await this.outbox();
      fn(q);
      await this.o.kv.set(OUTBOX, q);
    });
    this.chain = run.catch(() => {});
    return run;
  }

  /** flush delivers queued messages in order; each leaves the queue only on its ".ok". */
  async flush(): Promise<number> {
    if (this.flushing || !this.connected) return 0;
    this.flushing = true;
    let sent = 0;
    try {
      for (;;) {
        const q = await this.outbox();
        const e = q[0];
        if (!e || !this.connected) break;
        try {
          const reply = await this.call(e.type, e.payload, 15000);
          await this.mutate((q2) => { const i = q2.findIndex((x) => x.key === e.key); if (i >= 0) q2.splice(i, 1); });
          sent++;
          this.o.onDelivered?.(e, reply);
        } catch (err) {
          if (err instanceof ProtocolError && PERMANENT.has(err.code)) {
            // Kept, not dropped: the options page lists rejected entries.
            const dead = ((await this.o.kv.get(DEAD)) as OutboxEntry[] | undefined) ?? [];
            dead.push({ ...e, lastError: err.message });
            await this.o.kv.set(DEAD, dead);
            await this.mutate((q2) => { const i = q2.findIndex((x) => x.key === e.key); if (i >= 0) q2.splice(i, 1); });
            continue;
          }
          await this.mutate((q2) => { const x = q2.find((y) => y.key === e.key); if (x) { x.tries++; x.lastError = (err as Error).message; } });
          break; // transient: keep order, retry on the next connection or flush
        }
      }
    } finally {
      this.flushing = false;
    }
    return sent;
  }
}
