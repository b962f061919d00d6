// Reply deadlines as the extension sees them: the companion's list when it is
// reachable, plus deadlines started locally (buyer messages seen while the
// companion was down), minus orders answered locally. Pure functions; the
// service worker persists the state in chrome.storage.

export interface LocalDeadline {
  id?: string;
  order_id: string;
  due_at: string;
  start_at?: string;
  marketplace?: string;
  url?: string;
  buyer?: string;
  state?: string;
  local?: boolean;
}

export const REPLY_WINDOW_MS = 24 * 3600_000;
export const BADGE_WINDOW_MS = 4 * 3600_000;
export const NOTIFY_BEFORE_MS = 60 * 60_000;

// Unresolved states (the companion writes due-soon; older docs said due_soon).
// "missed" came due while the companion was down and still wants a reply.
const OPEN = new Set(['open', 'due_soon', 'overdue', 'missed', undefined, '']);
const norm = (s: string | undefined) => s?.replace(/-/g, '_');

/** merge: companion deadlines win; local ones fill in orders it does not know yet; replied orders drop out. */
export function merge(remote: LocalDeadline[], local: LocalDeadline[], replied: ReadonlySet<string>): LocalDeadline[] {
  const byOrder = new Map<string, LocalDeadline>();
  for (const d of local) if (!replied.has(d.order_id)) byOrder.set(d.order_id, { ...d, local: true });
  for (const d of remote) {
    if (!OPEN.has(norm(d.state))) { byOrder.delete(d.order_id); continue; }
    const l = byOrder.get(d.order_id);
    byOrder.set(d.order_id, { ...d, url: d.url ?? l?.url, buyer: d.buyer ?? l?.buyer, local: false });
  }
  for (const o of replied) byOrder.delete(o);
  return [...byOrder.values()].sort((a, b) => a.due_at.localeCompare(b.due_at));
}

/** dueWithin counts open deadlines due within `ms` of now (overdue ones included: they need a reply most). */
export function dueWithin(ds: LocalDeadline[], now: number, ms = BADGE_WINDOW_MS): number {
  return ds.filter((d) => Date.parse(d.due_at) - now <= ms).length;
}

/** toNotify returns deadlines entering the last hour (or overdue) that were not notified yet. */
export function toNotify(ds: LocalDeadline[], now: number, notified: ReadonlySet<string>): LocalDeadline[] {
  return ds.filter((d) => Date.parse(d.due_at) - now <= NOTIFY_BEFORE_MS && !notified.has(`${d.order_id}|${d.due_at}`));
}

export function formatLeft(dueAt: string, now: number): string {
  const ms = Date.parse(dueAt) - now;
  const abs = Math.abs(ms);
  const h = Math.floor(abs / 3600_000), m = Math.floor((abs % 3600_000) / 60_000);
  const s = h ? `${h} h ${m} min` : `${m} min`;
  return ms < 0 ? `${s} late` : `${s} left`;
}

/** threadLink: the thread seen on the page, else the "response needed" inbox of the deadline's marketplace host. */
export function threadLink(d: Pick<LocalDeadline, 'url' | 'marketplace' | 'order_id'>): string {
  if (d.url) return d.url;
  const host = d.marketplace && /^sellercentral(-europe|-japan)?\.amazon\.[a-z.]+$/.test(d.marketplace) ? d.marketplace : 'sellercentral.amazon.com';
  return `https://${host}/messaging/inbox?fi=RESPONSE_NEEDED&q=${encodeURIComponent(d.order_id)}`;
}
