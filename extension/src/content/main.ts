// Content script entry: finds reply boxes on Seller Central messaging pages
// (now and later: single-page navigation, late custom elements, shadow roots),
// attaches a Controller to each, guards Send, records sent replies and reports
// buyer messages awaiting a reply.

import { PolicyClient } from '../shared/policy-client';
import { loadSettings, type Finding, type LintContext, type RuleInfo, type Settings, type WorkerRequest } from '../shared/types';
import * as site from './adapter';
import { Controller } from './controller';
import { makeEditor } from './editor';
import { closePicker, openPicker, type TemplateEntry } from './picker';
import { announce, getUi, h, UI_TAG } from './ui';

const policy = new PolicyClient();
const controllers = new Map<HTMLElement, Controller>();
let settings: Settings | null = null;
let disabled = new Set<string>();
let rules = new Map<string, RuleInfo>();

type NoTo<T> = T extends unknown ? Omit<T, 'to'> : never;
function worker(req: NoTo<WorkerRequest>): Promise<any> {
  return chrome.runtime.sendMessage({ to: 'worker', ...req });
}

function url(): URL { return new URL(location.href); }

function facts(): site.PageFacts { return site.readPageFacts(document, url()); }

function ctx(): LintContext {
  const f = facts();
  const c: LintContext = { kind: f.kind === 'contact' ? 'proactive' : 'reply' };
  if (f.orderDate) c.order_date = f.orderDate;
  if (f.marketplace) c.marketplace = f.marketplace;
  // Minute resolution: the context string stays equal between keystrokes (the loader caches it).
  c.now = new Date(Math.floor(Date.now() / 60000) * 60000).toISOString().replace('.000Z', 'Z');
  return c;
}

const env = {
  policy,
  ctx,
  disabled: () => disabled,
  rules: () => rules,
  openPicker: (c: Controller) => { void picker(c); },
};

async function picker(c: Controller): Promise<void> {
  await openPicker(c, {
    list: async () => ((await worker({ type: 'templates' }))?.templates ?? []) as TemplateEntry[],
    get: async (id) => (await chrome.runtime.sendMessage({ to: 'worker', type: 'template', id }))?.template as TemplateEntry | undefined,
    render: async (id, vars) => (await chrome.runtime.sendMessage({ to: 'worker', type: 'render', id, vars })) ?? undefined,
    scenario: async () => {
      const text = site.buyerMessageText(document);
      return text ? (await policy.classify(text)).scenario : undefined;
    },
    kind: facts().kind === 'contact' ? 'proactive' : 'reply',
    values: () => {
      const f = facts();
      return { orderId: f.orderId, buyerFirstName: site.firstName(f.buyerName), marketplace: f.marketplace, orderDate: f.orderDate };
    },
  });
}

function activeController(): Controller | undefined {
  for (const c of controllers.values()) if (c.hasFocus()) return c;
  return controllers.values().next().value;
}

// ---- discovery -------------------------------------------------------------

function scan(): void {
  const active = site.pageKind(url()) !== 'other';
  const boxes = active ? site.findReplyBoxes(document, document.querySelector(UI_TAG)) : [];
  const seen = new Set<HTMLElement>();
  for (const b of boxes) {
    seen.add(b.el);
    if (!controllers.has(b.el)) controllers.set(b.el, new Controller(makeEditor(b), env));
  }
  for (const [el, c] of controllers) {
    if (!seen.has(el) || !el.isConnected) { c.dispose(); controllers.delete(el); }
  }
  watchShadows();
  awaitUpgrades();
  getUi().host.dataset['boxes'] = String(controllers.size);
  reportAwaiting();
}

// kat-textarea fills its shadow root after upgrade; observe those roots too.
const watchedRoots = new WeakSet<ShadowRoot>();
function watchShadows(): void {
  for (const kat of Array.from(document.querySelectorAll(site.SELECTORS.katTextarea))) {
    const sr = kat.shadowRoot;
    if (sr && !watchedRoots.has(sr)) { watchedRoots.add(sr); observer.observe(sr, { childList: true, subtree: true }); }
  }
}

let scheduled = false;
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(() => { scheduled = false; scan(); checkSuccess(); });
}

const observer = new MutationObserver((records) => {
  const ui = document.querySelector(UI_TAG);
  for (const r of records) {
    if (ui && (r.target === ui || ui.contains(r.target))) continue;
    if (r.type === 'childList' && (r.addedNodes.length || r.removedNodes.length)) { schedule(); return; }
  }
});

// Custom elements upgrade (and attach shadow roots) without a childList change
// in the light DOM, and content scripts cannot use customElements.whenDefined
// (window.customElements is null in the isolated world): retry a while.
const upgradeTries = new WeakMap<Element, number>();
function awaitUpgrades(): void {
  let waiting = false;
  for (const kat of Array.from(document.querySelectorAll(site.SELECTORS.katTextarea))) {
    if (kat.shadowRoot?.querySelector(site.SELECTORS.katInner)) continue;
    const n = upgradeTries.get(kat) ?? 0;
    if (n < 60) { upgradeTries.set(kat, n + 1); waiting = true; }
  }
  if (waiting) setTimeout(schedule, 200);
}

// Single-page navigation: pushState/replaceState in the page do not fire events the isolated world sees, so poll the URL cheaply.
let lastHref = location.href;
setInterval(() => { if (location.href !== lastHref) { lastHref = location.href; schedule(); } }, 250);
addEventListener('popstate', schedule);

// ---- send guard and reply recording ----------------------------------------

let bypass = false;
let pending: { text: string; findings: Finding[]; templateId?: string; at: number; buyer?: site.AwaitingMessage; ctx: LintContext } | null = null;

function snapshot(): void {
  const c = activeController() ?? [...controllers.values()].find((x) => x.editor.getText().trim());
  if (!c) return;
  const text = c.editor.getText();
  if (!text.trim()) return;
  const { now: _now, ...context } = ctx();
  pending = { text, findings: c.findings.slice(), templateId: c.templateId, at: Date.now(), buyer: site.awaitingBuyerMessage(document), ctx: context };
}

addEventListener('click', (e) => {
  const hit = site.sendControlIn(e.composedPath());
  if (!hit) return;
  const withErrors = [...controllers.values()].filter((c) => c.errors > 0);
  if (!hit.final && !bypass && settings?.sendGuard !== false && withErrors.length) {
    e.preventDefault();
    e.stopImmediatePropagation();
    confirmSend(hit.el as HTMLElement, withErrors);
    return;
  }
  bypass = false;
  if (!hit.final || !pending) snapshot();
}, true);

function confirmSend(button: HTMLElement, withErrors: Controller[]): void {
  const ui = getUi();
  const items = withErrors.flatMap((c) => c.findings.filter((f) => f.severity === 'error').map((f) => h('li', {}, `${rules.get(f.rule)?.title ?? f.rule}: “${c.editor.getText().slice(f.start, f.end)}”`)));
  const dontAsk = h('input', { type: 'checkbox', id: 'rg-dont-ask' });
  const review = h('button', { type: 'button', class: 'primary' }, 'Review');
  const send = h('button', { type: 'button', class: 'send-anyway' }, 'Send anyway');
  const dlg = h('div', { class: 'dialog', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'rg-dlg-t' },
    h('h2', { id: 'rg-dlg-t' }, `This reply breaks Amazon's messaging rules (${items.length} error${items.length > 1 ? 's' : ''})`),
    h('ul', {}, ...items),
    h('label', {}, dontAsk, ' Do not ask again (turn back on in ReplyGuard options)'),
    h('div', { class: 'actions' }, send, review));
  const back = h('div', { class: 'dialog-back' }, dlg);
  const close = () => back.remove();
  review.addEventListener('click', () => { close(); const c = withErrors[0]!; c.editor.el.focus(); const f = c.findings.find((x) => x.severity === 'error'); if (f) { c.editor.select(f.start, f.end); } });
  send.addEventListener('click', async () => {
    close();
    if (dontAsk.checked) { const { saveSettings } = await import('../shared/types'); settings = await saveSettings({ sendGuard: false }); }
    bypass = true;
    snapshot();
    button.click();
  });
  dlg.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { e.preventDefault(); review.click(); }
    if (e.key === 'Tab') { // keep focus inside the dialog
      const f = [send, review, dontAsk];
      const i = f.indexOf(ui.root.activeElement as HTMLButtonElement);
      e.preventDefault();
      f[(i + (e.shiftKey ? f.length - 1 : 1)) % f.length]!.focus();
    }
  });
  ui.layer.append(back);
  review.focus();
  announce('ReplyGuard: this reply has errors. Review or send anyway.');
}

let successSeen = false;
function checkSuccess(): void {
  const ok = document.querySelector(site.SELECTORS.success);
  if (!ok) { successSeen = false; return; }
  if (successSeen || !pending) return;
  successSeen = true;
  const p = pending;
  pending = null;
  const f = facts();
  const id = crypto.randomUUID();
  void (async () => {
    let scenario: string | undefined;
    if (p.buyer?.text) scenario = await policy.classify(p.buyer.text).then((c) => c.scenario, () => undefined);
    await worker({
      type: 'reply-sent',
      reply: {
        client_id: id,
        order_id: f.orderId,
        marketplace: location.hostname,
        text: p.text,
        template_id: p.templateId,
        findings: p.findings,
        sent_at: new Date(p.at).toISOString(),
        url: location.href,
        scenario,
        buyer_message: p.buyer ? { text: p.buyer.text, received_at: p.buyer.receivedAt } : undefined,
        context: p.ctx,
      },
    });
  })();
}

// ---- deadlines: buyer messages awaiting reply ----------------------------------

let reported = '';
function reportAwaiting(): void {
  if (site.pageKind(url()) !== 'inbox') return;
  const f = facts();
  const m = site.awaitingBuyerMessage(document);
  if (!m || !f.orderId) return;
  const key = `${f.orderId}|${m.receivedAt}`;
  if (key === reported) return;
  reported = key;
  void (async () => {
    let scenario: string | undefined;
    try { scenario = (await policy.classify(m.text)).scenario; } catch { /* optional */ }
    await worker({
      type: 'message-seen',
      seen: { client_id: `${f.orderId}|${m.receivedAt}`, order_id: f.orderId!, marketplace: location.hostname, received_at: m.receivedAt, buyer: f.buyerName, url: location.href, scenario },
    });
  })();
}

// ---- wiring ------------------------------------------------------------------

chrome.runtime.onMessage.addListener((msg) => {
  if (msg?.to === 'content' && msg.type === 'open-picker') {
    const c = activeController();
    if (c) void picker(c);
  }
  return false;
});

addEventListener('keydown', (e) => {
  // Same chord as the manifest command, for when the browser left it unassigned.
  if (e.altKey && e.shiftKey && (e.key === 'T' || e.key === 't' || e.code === 'KeyT')) {
    const c = activeController();
    if (c) { e.preventDefault(); void picker(c); }
  }
  if (e.key === 'Escape') closePicker();
}, true);

chrome.storage.onChanged.addListener((changes) => {
  if (!changes['settings']) return;
  void loadSettings().then((s) => { settings = s; disabled = new Set(s.disabledRules); for (const c of controllers.values()) c.refresh(); });
});

async function start(): Promise<void> {
  settings = await loadSettings();
  disabled = new Set(settings.disabledRules);
  observer.observe(document.documentElement, { childList: true, subtree: true });
  scan();
  try {
    const r = await policy.rules();
    rules = new Map(r.rules.map((x) => [x.id, x]));
    getUi().host.dataset['policy'] = r.version;
  } catch (e) {
    console.warn('ReplyGuard: rules unavailable:', (e as Error).message);
  }
  getUi().host.dataset['ready'] = '1';
}

void start();
