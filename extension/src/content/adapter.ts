// Site adapter: everything ReplyGuard knows about Seller Central's markup and
// URLs lives in this one file, so a change on Amazon's side is a one-file fix.
// Sources: DESIGN.md "What Seller Central looks like". The inbox-thread
// selectors below are the least certain (no public capture of that DOM); they
// are listed in order of preference and each is tried.

/** Every Seller Central host the content script runs on (manifest.json must match; a unit test checks). */
export const HOSTS = [
  'sellercentral.amazon.com', 'sellercentral.amazon.ca', 'sellercentral.amazon.com.mx', 'sellercentral.amazon.com.br',
  'sellercentral-europe.amazon.com', 'sellercentral.amazon.co.uk', 'sellercentral.amazon.de', 'sellercentral.amazon.fr',
  'sellercentral.amazon.it', 'sellercentral.amazon.es', 'sellercentral.amazon.nl', 'sellercentral.amazon.se',
  'sellercentral.amazon.pl', 'sellercentral.amazon.com.be', 'sellercentral.amazon.ie', 'sellercentral.amazon.com.tr',
  'sellercentral.amazon.ae', 'sellercentral.amazon.sa', 'sellercentral.amazon.eg', 'sellercentral.amazon.co.za',
  'sellercentral.amazon.in', 'sellercentral-japan.amazon.com', 'sellercentral.amazon.com.au', 'sellercentral.amazon.sg',
] as const;

export const SELECTORS = {
  /** Reply boxes, most specific first. kat-textarea hides its <textarea> in an open shadow root. */
  katTextarea: '.contact-buyer-text-area kat-textarea, kat-textarea',
  katInner: 'textarea',
  textarea: 'textarea',
  contentEditable: '[contenteditable=""], [contenteditable="true"], [contenteditable="plaintext-only"]',
  /** First-stage send (Contact Buyer) and thread reply send buttons. */
  send: 'kat-button.ayb-contact-form-send-button, button.ayb-contact-form-send-button, [data-test-id="reply-send-button"], button[name="sendReply"]',
  /** "Review message" dialog: the final Send. */
  reviewDialog: 'div[role=dialog]',
  reviewDialogSend: 'div[role=dialog] kat-button[label="Send"], div[role=dialog] button[data-action="send"]',
  success: 'div.kat-alert-success-content',
  contactHeader: '.ayb-contact-buyer-header h2',
  contactRoot: '#ayb-contact-buyer',
  /** Inbox thread: buyer messages (newest last) and their timestamps. */
  threadBuyerMessage: '[data-test-id="buyer-message"], .thread-message.buyer, .message-bubble.buyer',
  threadMessageText: '[data-test-id="message-text"], .message-text',
  threadMessageTime: 'time[datetime], [data-test-id="message-time"]',
  threadRepliedMarker: '[data-test-id="seller-message"], .thread-message.seller',
  threadBuyerName: '[data-test-id="buyer-name"], .thread-header .buyer-name',
  orderDate: '[data-test-id="order-date"], .order-date',
} as const;

/** Text that marks the header of the Contact Buyer form ("Send message to {name}"). */
const HEADER_PREFIXES = ['Send message to ', 'Nachricht senden an ', 'Envoyer un message à ', 'Enviar mensaje a ', 'Invia messaggio a '];

export type PageKind = 'contact' | 'inbox' | 'reviews' | 'order' | 'other';

/** pageKind tells which messaging page a URL is. */
export function pageKind(url: URL): PageKind {
  const p = url.pathname;
  if (p.startsWith('/messaging/contact')) return 'contact';
  if (p.startsWith('/messaging/inbox') || p.startsWith('/messaging/thread')) return 'inbox';
  if (p.startsWith('/messaging/reviews')) return 'reviews';
  if (/^\/orders-v3\/order\/[^/]+/.test(p)) return 'order';
  return 'other';
}

export function isSellerCentral(url: URL): boolean {
  return url.protocol === 'https:' && (HOSTS as readonly string[]).includes(url.hostname);
}

export const ORDER_ID_RE = /\b\d{3}-\d{7}-\d{7}\b/;

/** orderIdFromUrl reads the order id from the messaging and order URLs. */
export function orderIdFromUrl(url: URL): string | undefined {
  for (const k of ['orderID', 'orderId', 'orderid', 'order_id']) {
    const v = url.searchParams.get(k);
    if (v && ORDER_ID_RE.test(v)) return v.match(ORDER_ID_RE)![0];
  }
  const m = url.pathname.match(/^\/orders-v3\/order\/(\d{3}-\d{7}-\d{7})/);
  return m?.[1];
}

/** Amazon marketplace ids (marketplaceID=...) to country codes. */
const MARKETPLACE_IDS: Record<string, string> = {
  ATVPDKIKX0DER: 'US', A2EUQ1WTGCTBG2: 'CA', A1AM78C64UM0Y8: 'MX', A2Q3Y263D00KWC: 'BR',
  A1F83G8C2ARO7P: 'UK', A1PA6795UKMFR9: 'DE', A13V1IB3VIYZZH: 'FR', APJ6JRA9NG5V4: 'IT',
  A1RKKUPIHCS9HS: 'ES', A1805IZSGTT6HS: 'NL', A2NODRKZP88ZB9: 'SE', A1C3SOZRARQ6R3: 'PL',
  AMEN7PMS3EDWL: 'BE', A28R8C7NBKEWEA: 'IE', A33AVAJ2PDY3EV: 'TR', A2VIGQ35RCS4UG: 'AE',
  A17E79C6D8DWNP: 'SA', ARBP9OOSHTCHU: 'EG', AE08WJ6YKNBMC: 'ZA', A21TJRUUN4KGV: 'IN',
  A1VC38T7YXB528: 'JP', A39IBJ37TRP1C6: 'AU', A19VAU5U5O7RUS: 'SG',
};

const HOST_COUNTRY: Record<string, string> = {
  'sellercentral.amazon.com': 'US', 'sellercentral.amazon.ca': 'CA', 'sellercentral.amazon.com.mx': 'MX',
  'sellercentral.amazon.com.br': 'BR', 'sellercentral-europe.amazon.com': 'EU', 'sellercentral.amazon.co.uk': 'UK',
  'sellercentral.amazon.de': 'DE', 'sellercentral.amazon.fr': 'FR', 'sellercentral.amazon.it': 'IT',
  'sellercentral.amazon.es': 'ES', 'sellercentral.amazon.nl': 'NL', 'sellercentral.amazon.se': 'SE',
  'sellercentral.amazon.pl': 'PL', 'sellercentral.amazon.com.be': 'BE', 'sellercentral.amazon.ie': 'IE',
  'sellercentral.amazon.com.tr': 'TR', 'sellercentral.amazon.ae': 'AE', 'sellercentral.amazon.sa': 'SA',
  'sellercentral.amazon.eg': 'EG', 'sellercentral.amazon.co.za': 'ZA', 'sellercentral.amazon.in': 'IN',
  'sellercentral-japan.amazon.com': 'JP', 'sellercentral.amazon.com.au': 'AU', 'sellercentral.amazon.sg': 'SG',
};

/** marketplace prefers the marketplaceID parameter (exact) over the host (EU hosts serve many countries). */
export function marketplace(url: URL): string | undefined {
  const id = url.searchParams.get('marketplaceID') ?? url.searchParams.get('marketplaceId');
  if (id && MARKETPLACE_IDS[id]) return MARKETPLACE_IDS[id];
  return HOST_COUNTRY[url.hostname];
}

/** buyerNameFromHeader reads "Send message to Jane Doe" (or a localised prefix). */
export function buyerNameFromHeader(text: string | null | undefined): string | undefined {
  const t = (text ?? '').replace(/\s+/g, ' ').trim();
  if (!t) return undefined;
  for (const p of HEADER_PREFIXES) if (t.toLowerCase().startsWith(p.toLowerCase())) return t.slice(p.length).trim() || undefined;
  return undefined;
}

/** firstName takes the first word of a buyer's name, skipping honorifics. */
export function firstName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const words = name.trim().split(/\s+/).filter((w) => !/^(mr|mrs|ms|dr|herr|frau|m|mme)\.?$/i.test(w));
  return words[0] || undefined;
}

/** Pieces of the page the picker and the deadline tracker need. */
export interface PageFacts {
  kind: PageKind;
  orderId?: string;
  marketplace?: string;
  buyerName?: string;
  orderDate?: string;
}

export function readPageFacts(doc: Document, url: URL): PageFacts {
  const facts: PageFacts = { kind: pageKind(url) };
  facts.orderId = orderIdFromUrl(url) ?? textOrderId(doc);
  facts.marketplace = marketplace(url);
  facts.buyerName = buyerNameFromHeader(doc.querySelector(SELECTORS.contactHeader)?.textContent)
    ?? (doc.querySelector(SELECTORS.threadBuyerName)?.textContent?.trim() || undefined);
  const od = doc.querySelector(SELECTORS.orderDate);
  const odText = od?.getAttribute('datetime') ?? od?.textContent ?? '';
  const m = odText.match(/\d{4}-\d{2}-\d{2}/);
  if (m) facts.orderDate = m[0];
  return facts;
}

function textOrderId(doc: Document): string | undefined {
  const root = doc.querySelector(SELECTORS.contactRoot) ?? doc.querySelector('main') ?? doc.body;
  return root?.textContent?.match(ORDER_ID_RE)?.[0];
}

/** A buyer message awaiting reply on an inbox thread. */
export interface AwaitingMessage { text: string; receivedAt: string }

/**
 * awaitingBuyerMessage returns the newest buyer message when no seller reply
 * follows it in the thread (i.e. it is awaiting a reply).
 */
export function awaitingBuyerMessage(doc: Document): AwaitingMessage | undefined {
  const all = Array.from(doc.querySelectorAll<HTMLElement>(`${SELECTORS.threadBuyerMessage}, ${SELECTORS.threadRepliedMarker}`));
  const last = all[all.length - 1];
  if (!last || !last.matches(SELECTORS.threadBuyerMessage)) return undefined;
  const text = (last.querySelector(SELECTORS.threadMessageText)?.textContent ?? last.textContent ?? '').trim();
  const t = last.querySelector(SELECTORS.threadMessageTime);
  const raw = t?.getAttribute('datetime') ?? t?.textContent ?? '';
  const d = new Date(raw);
  return { text, receivedAt: isNaN(d.getTime()) ? new Date().toISOString() : d.toISOString() };
}

/** buyerMessageText finds the buyer's message a reply answers (thread page), for classification. */
export function buyerMessageText(doc: Document): string {
  const all = doc.querySelectorAll<HTMLElement>(SELECTORS.threadBuyerMessage);
  const last = all[all.length - 1];
  return (last?.querySelector(SELECTORS.threadMessageText)?.textContent ?? last?.textContent ?? '').trim();
}

export type EditorKind = 'textarea' | 'contenteditable';

/** A reply box: `el` is what holds the text, `host` what sits in the page's layout (kat-textarea or el). */
export interface ReplyBox { el: HTMLElement; host: HTMLElement; kind: EditorKind }

/**
 * findReplyBoxes lists the reply boxes under `root`, including the textarea
 * inside each kat-textarea's open shadow root. `ownUi` is ReplyGuard's own UI
 * host, which is skipped.
 */
export function findReplyBoxes(root: ParentNode, ownUi?: Element | null): ReplyBox[] {
  const out: ReplyBox[] = [];
  const seen = new Set<Element>();
  for (const kat of Array.from(root.querySelectorAll<HTMLElement>(SELECTORS.katTextarea))) {
    const inner = kat.shadowRoot?.querySelector<HTMLTextAreaElement>(SELECTORS.katInner);
    if (inner && !seen.has(inner)) { seen.add(inner); out.push({ el: inner, host: kat, kind: 'textarea' }); }
  }
  for (const ta of Array.from(root.querySelectorAll<HTMLTextAreaElement>(SELECTORS.textarea))) {
    if (seen.has(ta) || ownUi?.contains(ta) || ta.readOnly || ta.disabled) continue;
    seen.add(ta); out.push({ el: ta, host: ta, kind: 'textarea' });
  }
  for (const ce of Array.from(root.querySelectorAll<HTMLElement>(SELECTORS.contentEditable))) {
    // Only the outermost editable: nested editables belong to it.
    if (seen.has(ce) || ownUi?.contains(ce) || (ce.parentElement && ce.parentElement.isContentEditable)) continue;
    seen.add(ce); out.push({ el: ce, host: ce, kind: 'contenteditable' });
  }
  return out;
}

/** isSendControl: does a click path hit a first-stage send or the review dialog's final Send? */
export function sendControlIn(path: EventTarget[]): { el: Element; final: boolean } | undefined {
  for (const t of path) {
    if (!(t instanceof Element)) continue;
    if (t.matches(SELECTORS.reviewDialogSend)) return { el: t, final: true };
    if (t.matches(SELECTORS.send)) return { el: t, final: false };
  }
  return undefined;
}
