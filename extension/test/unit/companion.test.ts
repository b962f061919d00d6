import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompanionClient, DEAD, OUTBOX, TOKEN, type KV, type SocketLike } from '../../src/background/companion';

// A scripted companion on the far side of an in-memory socket, a manual clock
// and an in-memory KV: the client's real state machine, deterministic.

class Clock {
  t = 0;
  private q: { at: number; fn: () => void; id: number }[] = [];
  private n = 0;
  set = (fn: () => void, ms: number) => { const id = ++this.n; this.q.push({ at: this.t + ms, fn, id }); return id; };
  clear = (id: unknown) => { this.q = this.q.filter((x) => x.id !== id); };
  async advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      this.q.sort((a, b) => a.at - b.at);
      const next = this.q[0];
      if (!next || next.at > end) break;
      this.q.shift();
      this.t = next.at;
      next.fn();
      await flush();
    }
    this.t = end;
    await flush();
  }
  pending() { return this.q.map((x) => x.at - this.t); }
}
const flush = async () => { for (let i = 0; i < 20; i++) await Promise.resolve(); await new Promise((r) => setTimeout(r, 0)); };

type Handler = (msg: any, s: FakeSocket) => void;
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: any[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string, private h: Handler, up: boolean) {
    queueMicrotask(() => {
      if (!up) { this.readyState = 3; this.onerror?.({}); this.onclose?.({ code: 1006, reason: '' }); return; }
      this.readyState = 1; this.push({ v: 1, type: 'hello', payload: { protocol: 1 } }); this.onopen?.({});
    });
  }
  send(d: string) { const m = JSON.parse(d); this.sent.push(m); queueMicrotask(() => this.h(m, this)); }
  push(m: unknown) { this.onmessage?.({ data: JSON.stringify(m) }); }
  reply(m: any, type: string, payload: unknown) { this.push({ v: 1, re: m.id, type, payload }); }
  error(m: any, code: string) { this.push({ v: 1, re: m.id, type: 'error', error: { code, message: code } }); }
  close(code = 1000, reason = '') { if (this.readyState === 3) return; this.readyState = 3; queueMicrotask(() => this.onclose?.({ code, reason })); }
}

function memKV(): KV & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return { data, get: async (k) => structuredClone(data.get(k)), set: async (k, v) => { data.set(k, structuredClone(v)); } };
}

/** The companion: pairing code "GOOD-CODE", token "tok", stores records by idempotency key. */
function companion() {
  const stored = new Map<string, any>();
  const st = { up: true, sockets: [] as FakeSocket[], stored, dropBeforeAck: 0, reject: new Set<string>() };
  const handler: Handler = (m, s) => {
    switch (m.type) {
      case 'pair': return m.payload.code === 'GOOD-CODE' ? s.reply(m, 'pair.ok', { client_id: 'c1', token: 'tok', keepalive_ms: 20000 }) : (s.error(m, 'unauthorized'), s.close(1008, 'bad code'));
      case 'auth': return m.payload.token === 'tok' ? s.reply(m, 'auth.ok', { client_id: 'c1', keepalive_ms: 20000 }) : (s.error(m, 'unauthorized'), s.close(1008, 'bad token'));
      case 'ping': return s.reply(m, 'ping.ok', { time: 'now' });
      case 'reply.record': case 'message.seen': {
        if (st.reject.has(m.payload.reply_id ?? m.payload.order_id)) return s.error(m, 'invalid_payload');
        const key = m.payload.reply_id ?? `${m.payload.order_id}|${m.payload.received_at}`;
        const dup = stored.has(key);
        stored.set(key, m.payload);
        if (st.dropBeforeAck > 0) { st.dropBeforeAck--; s.close(1006, ''); return; } // stored, ack lost
        return s.reply(m, `${m.type}.ok`, { duplicate: dup });
      }
    }
  };
  return { st, factory: (url: string) => { const s = new FakeSocket(url, handler, st.up); st.sockets.push(s); return s; } };
}

function setup(token?: string) {
  const clock = new Clock();
  const kv = memKV();
  if (token) kv.data.set(TOKEN, token);
  const c = companion();
  const states: string[] = [];
  const client = new CompanionClient({
    socket: c.factory, kv, address: async () => '127.0.0.1:47615', now: () => clock.t,
    setTimer: clock.set, clearTimer: clock.clear, random: () => 0.5, onState: (s) => states.push(s),
  });
  return { clock, kv, c, client, states };
}

test('unpaired without a token; pairing stores the token and connects to ws://ADDR/ws', async () => {
  const { client, kv, c, states } = setup();
  await client.start();
  assert.equal(client.state, 'unpaired');
  const r = await client.pair('GOOD-CODE');
  assert.equal(r.client_id, 'c1');
  assert.equal(kv.data.get(TOKEN), 'tok');
  assert.equal(client.state, 'connected');
  assert.equal(c.st.sockets[0]!.url, 'ws://127.0.0.1:47615/ws');
  assert.deepEqual(c.st.sockets[0]!.sent[0], { v: 1, id: c.st.sockets[0]!.sent[0].id, type: 'pair', payload: { code: 'GOOD-CODE', name: 'ReplyGuard extension' } });
  assert.deepEqual(states, ['unpaired', 'connecting', 'connected']);
});

test('a wrong pairing code fails clearly and does not retry', async () => {
  const { client, clock, c } = setup();
  await assert.rejects(client.pair('BAD'), /unauthorized/);
  await clock.advance(60000);
  assert.equal(client.state, 'auth-failed');
  assert.equal(c.st.sockets.length, 1, 'no reconnect loop after a rejected code');
});

test('replies queued while the companion is down are delivered after it comes back, in order', async () => {
  const { client, clock, c, kv } = setup('tok');
  c.st.up = false;
  await client.start();
  await clock.advance(10);
  assert.equal(client.state, 'offline');
  await client.enqueue('reply.record', 'reply:a', { reply_id: 'a', order_id: '111-2222222-3333333', text: 'one' });
  await client.enqueue('message.seen', 'seen:x', { order_id: '222-2222222-3333333', received_at: '2026-11-21T20:00:00Z' });
  await client.enqueue('reply.record', 'reply:b', { reply_id: 'b', order_id: '111-2222222-3333333', text: 'two' });
  await client.enqueue('reply.record', 'reply:a', { reply_id: 'a', order_id: '111-2222222-3333333', text: 'one' }); // dedup locally
  assert.equal((kv.data.get(OUTBOX) as unknown[]).length, 3);
  c.st.up = true;
  await clock.advance(30000);
  assert.equal(client.state, 'connected');
  assert.deepEqual([...c.st.stored.keys()], ['a', '222-2222222-3333333|2026-11-21T20:00:00Z', 'b']);
  assert.deepEqual(kv.data.get(OUTBOX), []);
});

test('an entry stays queued until its .ok arrives: a lost ack means a resend, answered duplicate', async () => {
  const { client, clock, c, kv } = setup('tok');
  await client.start();
  await clock.advance(10);
  c.st.dropBeforeAck = 1;
  await client.enqueue('reply.record', 'reply:z', { reply_id: 'z', order_id: '111-2222222-3333333', text: 'hi' });
  await clock.advance(10);
  assert.equal((kv.data.get(OUTBOX) as unknown[]).length, 1, 'kept after the connection dropped before the ack');
  assert.equal(client.state, 'offline');
  await clock.advance(5000);
  assert.equal(client.state, 'connected');
  assert.deepEqual(kv.data.get(OUTBOX), []);
  const last = c.st.sockets.at(-1)!.sent.filter((m) => m.type === 'reply.record');
  assert.equal(last.length, 1);
  assert.equal(c.st.stored.size, 1);
});

test('reconnect backoff doubles from 1 s to a 30 s cap (with bounded jitter)', async () => {
  const { client, clock, c } = setup('tok');
  c.st.up = false;
  await client.start();
  const delays: number[] = [];
  for (let i = 0; i < 8; i++) {
    await clock.advance(0);
    const p = clock.pending();
    assert.equal(p.length, 1, `one retry timer armed (round ${i})`);
    delays.push(p[0]!);
    await clock.advance(p[0]!);
  }
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  c.st.up = true;
  await clock.advance(30000);
  assert.equal(client.state, 'connected');
  assert.equal(client.backoffMs, 1000, 'backoff resets after a successful auth');
});

test('a revoked token stops retries (pair again); wake-ups do not retry it, an explicit reconnect does', async () => {
  const { client, clock, c } = setup('stale');
  await client.start();
  await clock.advance(120000);
  assert.equal(client.state, 'auth-failed');
  assert.equal(c.st.sockets.length, 1);
  await client.start(); // the 30 s alarm
  await clock.advance(10);
  assert.equal(c.st.sockets.length, 1, 'no new attempt with a rejected token');
  await client.start(true); // "Reconnect" in options
  await clock.advance(10);
  assert.equal(c.st.sockets.length, 2);
});

test('concurrent starts open one connection', async () => {
  const { client, clock, c } = setup('tok');
  await Promise.all([client.start(), client.start(), client.start()]);
  await clock.advance(10);
  assert.equal(c.st.sockets.length, 1);
  assert.equal(client.state, 'connected');
});

test('keepalive pings a quiet line and replaces a dead one', async () => {
  const { client, clock, c } = setup('tok');
  await client.start();
  await clock.advance(10);
  const s = c.st.sockets[0]!;
  await clock.advance(21000);
  assert.ok(s.sent.some((m) => m.type === 'ping'), 'ping after 20 s of silence');
  // Now the server goes silent (no answers): the client must close and reconnect.
  s.send = (d: string) => { s.sent.push(JSON.parse(d)); };
  await clock.advance(60000);
  assert.ok(c.st.sockets.length >= 2, 'a new connection replaced the dead one');
  assert.equal(s.readyState, 3);
});

test('permanently rejected messages are set aside, not lost, and do not block the queue', async () => {
  const { client, clock, c, kv } = setup('tok');
  c.st.reject.add('bad');
  await client.start();
  await clock.advance(10);
  await client.enqueue('reply.record', 'reply:bad', { reply_id: 'bad', order_id: 'x', text: '' });
  await client.enqueue('reply.record', 'reply:ok', { reply_id: 'ok', order_id: '111-2222222-3333333', text: 'fine' });
  await clock.advance(10);
  assert.deepEqual(kv.data.get(OUTBOX), []);
  const dead = kv.data.get(DEAD) as { key: string; lastError: string }[];
  assert.equal(dead.length, 1);
  assert.equal(dead[0]!.key, 'reply:bad');
  assert.match(dead[0]!.lastError, /invalid_payload/);
  assert.ok(c.st.stored.has('ok'));
});
