// The service worker: owns the companion connection (websocket + durable
// outbox), the reply deadlines (badge, notifications, popup list) and the
// offscreen policy host's lifetime. Content scripts and extension pages talk
// to it with chrome.runtime.sendMessage({to: 'worker', ...}).

import { loadSettings, type ReplyRecord, type MessageSeen, type CompanionStatus } from '../shared/types';
import { CompanionClient, DEAD, TOKEN, type KV, type State } from './companion';
import { dueWithin, merge, threadLink, toNotify, REPLY_WINDOW_MS, type LocalDeadline } from './deadlines';

const kv: KV = {
  get: async (k) => (await chrome.storage.local.get(k))[k],
  set: (k, v) => chrome.storage.local.set({ [k]: v }),
};

const client = new CompanionClient({
  socket: (url) => new WebSocket(url) as unknown as import('./companion').SocketLike,
  kv,
  address: async () => (await loadSettings()).companionAddress,
  clientName: `Chrome ${navigator.userAgent.match(/Chrome\/(\d+)/)?.[1] ?? ''}`.trim(),
  onState: (s: State, detail?: string) => { void chrome.storage.local.set({ companion_state: { state: s, detail: detail ?? '', at: new Date().toISOString() } }); if (s === 'connected') void syncDeadlines(); },
  onPush: (type, payload) => {
    if (type === 'deadline.due_soon' || type === 'deadline.overdue') {
      void syncDeadlines().then(() => notify([payload.deadline as LocalDeadline], type === 'deadline.overdue'));
    } else if (type === 'templates.changed') {
      templateCache = null;
    }
  },
  // After each ack the companion's deadline list reflects the message: refresh.
  onDelivered: () => { void syncDeadlines(); },
});

// ---- offscreen policy host ---------------------------------------------------------

let creating: Promise<void> | null = null;
async function ensureOffscreen(): Promise<void> {
  const url = chrome.runtime.getURL('offscreen.html');
  const existing = await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [url] });
  if (existing.length) return;
  creating ??= chrome.offscreen.createDocument({ url: 'offscreen.html', reasons: ['WORKERS'], justification: 'Runs the ReplyGuard policy engine (policy.wasm) outside the page CSP.' })
    .catch((e: Error) => { if (!/single offscreen/i.test(e.message)) throw e; })
    .finally(() => { creating = null; });
  await creating;
}

// ---- templates: companion first, bundled built-ins when it is down ----------------------

interface Tpl { id: string; title: string; scenario: string; scenarios?: string[]; kind?: string; body?: string; fields?: unknown[]; parts?: unknown[]; language?: string; builtin?: boolean }
let bundled: Tpl[] | null = null;
let templateCache: Tpl[] | null = null;

function normalise(t: any): Tpl {
  const scenarios: string[] = t.scenarios ?? (t.scenario ? [t.scenario] : []);
  return { id: String(t.id), title: String(t.title ?? t.id), scenario: scenarios[0] ?? 'other', scenarios, kind: t.kind, body: t.body, fields: t.fields, parts: t.parts, language: t.lang ?? t.language, builtin: t.builtin };
}

async function builtins(): Promise<Tpl[]> {
  if (bundled) return bundled;
  const raw = await (await fetch(chrome.runtime.getURL('templates.json'))).json();
  const list: any[] = Array.isArray(raw) ? raw : raw.templates ?? [];
  bundled = list.map(normalise);
  return bundled;
}

async function listTemplates(): Promise<{ templates: Tpl[]; source: string }> {
  const base = await builtins();
  if (client.connected) {
    try {
      if (!templateCache) templateCache = (((await client.request('templates.list', {})).templates ?? []) as any[]).map(normalise);
      // Bodies of built-ins are known locally; the companion's edited/custom ones are fetched on insert.
      const byId = new Map(base.map((t) => [t.id, t]));
      // Seller-made or modified templates have no local body: the picker fetches them with templates.get.
      const fromCompanion = templateCache.map((t) => {
        const local = byId.get(t.id);
        return t.body || (t as any).modified || !local ? t : { ...t, body: local.body, fields: local.fields, parts: local.parts };
      });
      // Built-ins the companion does not list (deleted there, or not seeded yet) stay available.
      const listed = new Set(fromCompanion.map((t) => t.id));
      return { templates: [...fromCompanion, ...base.filter((t) => !listed.has(t.id))], source: 'companion' };
    } catch { /* fall back to the bundle */ }
  }
  return { templates: base, source: 'builtin' };
}

async function getTemplate(id: string): Promise<Tpl | undefined> {
  if (client.connected) {
    try { return normalise((await client.request('templates.get', { id })).template); } catch { /* bundle */ }
  }
  return (await builtins()).find((t) => t.id === id);
}

// ---- deadlines -------------------------------------------------------------------

async function localState(): Promise<{ local: LocalDeadline[]; replied: string[]; remote: LocalDeadline[]; notified: string[] }> {
  const g = await chrome.storage.local.get(['deadlines_local', 'replied_local', 'deadlines_remote', 'notified']);
  return { local: g['deadlines_local'] ?? [], replied: g['replied_local'] ?? [], remote: g['deadlines_remote'] ?? [], notified: g['notified'] ?? [] };
}

async function syncDeadlines(): Promise<LocalDeadline[]> {
  const st = await localState();
  let remote = st.remote;
  if (client.connected) {
    try {
      remote = (await client.request('deadlines.list', { state: 'open' })).deadlines ?? [];
      // A local deadline is kept until the companion lists it (a message seen
      // while it was down), or until long past due; replies still queued keep
      // hiding their order's remote deadline until delivered.
      const queued = new Set((await client.outbox()).map((e) => String(e.payload['order_id'])));
      const listed = new Set(remote.map((d) => d.order_id));
      st.local = st.local.filter((d) => !listed.has(d.order_id) && Date.parse(d.due_at) > Date.now() - REPLY_WINDOW_MS);
      st.replied = st.replied.filter((o) => queued.has(o));
      await chrome.storage.local.set({ deadlines_remote: remote, deadlines_local: st.local, replied_local: st.replied });
    } catch { /* keep the cached list */ }
  }
  // Thread links and buyer names seen on the page (the companion does not store them).
  const links: Record<string, { url?: string; buyer?: string }> = (await chrome.storage.local.get('thread_links'))['thread_links'] ?? {};
  const all = merge(remote, st.local, new Set(st.replied)).map((d) => ({ ...d, url: d.url ?? links[d.order_id]?.url, buyer: d.buyer ?? links[d.order_id]?.buyer }));
  await chrome.storage.local.set({ deadlines: all });
  await updateBadge(all);
  const fresh = toNotify(all, Date.now(), new Set(st.notified));
  if (fresh.length) await notify(fresh, false);
  return all;
}

async function updateBadge(all: LocalDeadline[]): Promise<void> {
  const n = dueWithin(all, Date.now());
  await chrome.action.setBadgeText({ text: n ? String(n) : '' });
  await chrome.action.setBadgeBackgroundColor({ color: all.some((d) => Date.parse(d.due_at) < Date.now()) ? '#d93025' : '#e37400' });
  await chrome.action.setTitle({ title: n ? `ReplyGuard: ${n} repl${n > 1 ? 'ies' : 'y'} due within 4 hours` : 'ReplyGuard' });
}

async function notify(ds: LocalDeadline[], overdue: boolean): Promise<void> {
  const { notified } = await localState();
  const seen = new Set(notified);
  for (const d of ds) {
    const key = `${d.order_id}|${d.due_at}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const late = overdue || Date.parse(d.due_at) < Date.now();
    await chrome.notifications.create(`deadline|${d.order_id}|${threadLink(d)}`, {
      type: 'basic', iconUrl: chrome.runtime.getURL('icons/128.png'),
      title: late ? 'Reply overdue' : 'Reply due soon',
      message: `Order ${d.order_id}: reply ${late ? 'was due' : 'due'} ${new Date(d.due_at).toLocaleString()}.`, priority: 2,
    }).catch(() => '');
  }
  await chrome.storage.local.set({ notified: [...seen].slice(-500) });
}

chrome.notifications.onClicked.addListener((id) => {
  const [kind, order, ...rest] = id.split('|');
  if (kind !== 'deadline' || !order) return;
  void chrome.tabs.create({ url: rest.join('|') || threadLink({ order_id: order }) });
});

async function replySent(r: ReplyRecord): Promise<void> {
  // findings: what the seller saw at send (the companion re-lints and stores its own too).
  const payload: Record<string, unknown> = {
    reply_id: r.client_id, order_id: r.order_id, marketplace: r.marketplace, text: r.text, sent_at: r.sent_at,
    template_id: r.template_id, scenario: r.scenario, buyer_message: r.buyer_message, context: r.context, findings: r.findings,
  };
  for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
  await client.enqueue('reply.record', `reply:${r.client_id}`, payload);
  if (r.order_id) {
    const st = await localState();
    await chrome.storage.local.set({
      replied_local: st.replied.includes(r.order_id) ? st.replied : [...st.replied, r.order_id],
      deadlines_local: st.local.filter((d) => d.order_id !== r.order_id),
    });
    await syncDeadlines();
  }
}

async function messageSeen(m: MessageSeen): Promise<void> {
  const links = (await chrome.storage.local.get('thread_links'))['thread_links'] ?? {};
  links[m.order_id] = { url: m.url, buyer: m.buyer };
  const keys = Object.keys(links);
  for (const k of keys.slice(0, Math.max(0, keys.length - 500))) delete links[k];
  await chrome.storage.local.set({ thread_links: links });
  // No kind: the companion's default is the 24-hour reply deadline.
  const payload: Record<string, unknown> = { order_id: m.order_id, marketplace: m.marketplace, received_at: m.received_at };
  await client.enqueue('message.seen', `seen:${m.order_id}|${m.received_at}`, payload);
  const st = await localState();
  if (!st.local.some((d) => d.order_id === m.order_id)) {
    st.local.push({ order_id: m.order_id, due_at: new Date(Date.parse(m.received_at) + REPLY_WINDOW_MS).toISOString(), start_at: m.received_at, url: m.url, buyer: m.buyer, marketplace: m.marketplace });
    await chrome.storage.local.set({ deadlines_local: st.local, replied_local: st.replied.filter((o) => o !== m.order_id) });
  }
  await syncDeadlines();
}

async function status(): Promise<CompanionStatus & { rejected: number }> {
  const s = await loadSettings();
  const rejected = (((await kv.get(DEAD)) as unknown[]) ?? []).length;
  return { state: client.state, detail: client.detail, address: s.companionAddress, queued: (await client.outbox()).length, lastConnected: client.lastConnected, rejected };
}

// ---- wiring ------------------------------------------------------------------------

chrome.runtime.onMessage.addListener((msg, _sender, respond) => {
  if (!msg || msg.to !== 'worker') return false;
  const run = async (): Promise<unknown> => {
    switch (msg.type) {
      case 'ensure-offscreen': await ensureOffscreen(); return { ok: true };
      case 'templates': return await listTemplates();
      case 'template': return { template: await getTemplate(msg.id) };
      // The companion renders templates it holds with the seller's own field declarations.
      case 'render': return client.connected ? await client.request('templates.render', { id: msg.id, vars: msg.vars ?? {} }) : undefined;
      case 'reply-sent': await replySent(msg.reply); return { ok: true };
      case 'message-seen': await messageSeen(msg.seen); return { ok: true };
      case 'status': return await status();
      case 'deadlines': return { deadlines: await syncDeadlines() };
      case 'pair': {
        const { saveSettings } = await import('../shared/types');
        await saveSettings({ companionAddress: msg.address });
        const r = await client.pair(msg.code);
        return { ok: true, client_id: r.client_id };
      }
      case 'unpair': client.stop(); await chrome.storage.local.remove(TOKEN); await client.start(true); return { ok: true };
      case 'reconnect': client.stop(); await client.start(true); return await status();
      case 'flush': await client.start().catch(() => {}); return { sent: await client.flush(), status: await status() };
    }
    throw new Error(`unknown request ${msg.type}`);
  };
  run().then((r) => respond(r), (e: Error) => respond({ ok: false, error: e.message }));
  return true;
});

chrome.commands.onCommand.addListener((cmd, tab) => {
  if (cmd !== 'open-template-picker') return;
  void (async () => {
    const id = tab?.id ?? (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id;
    if (id !== undefined) await chrome.tabs.sendMessage(id, { to: 'content', type: 'open-picker' }).catch(() => {});
  })();
});

// Alarms wake the worker after Chrome stops it: reconnect, flush the outbox, refresh the badge.
chrome.alarms.onAlarm.addListener((a) => {
  if (a.name !== 'tick') return;
  void client.start().catch(() => {}).then(() => client.flush()).then(() => syncDeadlines());
});

function boot(): void {
  void chrome.alarms.create('tick', { periodInMinutes: 0.5 });
  void ensureOffscreen().catch((e: Error) => console.warn('offscreen:', e.message));
  void client.start().catch(() => {});
  void syncDeadlines();
}
chrome.runtime.onInstalled.addListener(boot);
chrome.runtime.onStartup.addListener(boot);
boot();

// Handle for the end-to-end tests and for debugging from the worker console.
(globalThis as unknown as { replyguard: unknown }).replyguard = { client, syncDeadlines, status, listTemplates };
