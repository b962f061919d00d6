// Template rendering in the page, so a template inserts at once and works
// with the companion stopped. It is a port of templates.Render (Go), held to
// it by a parity test over every built-in with empty, sample, page-like,
// wrong and unusual values (templates/testdata/render-parity.json): a typed
// placeholder takes a value only if the Go renderer would, dates use the
// same named formats, and a placeholder left without a value stays as
// "[Label]" with its UTF-16 span, for Tab to select.

export interface Field {
  name: string;
  type?: string;
  label?: string;
  default?: string;
  format?: string;
  options?: string[];
  max?: number;
  example?: string;
}

/** Part is a stretch of the body: literal text, or a placeholder. */
export interface Part { text?: string; field?: string }

export interface RenderableTemplate { id?: string; body?: string; fields?: readonly Field[]; parts?: readonly Part[] }

/** Slot is a placeholder left unfilled: "[Label]" at [start, end) of the text. */
export interface Slot { name: string; label: string; start: number; end: number }

export interface Rendered { text: string; unfilled: Slot[]; problems: string[] }

export const STANDARD_FIELDS: readonly Field[] = [
  { name: 'buyer_name', type: 'name', label: 'Buyer first name' },
  { name: 'order_id', type: 'order-id', label: 'Order ID' },
  { name: 'seller_name', type: 'name', label: 'Your name or shop name' },
  { name: 'carrier', type: 'carrier', label: 'Carrier' },
  { name: 'tracking_number', type: 'tracking', label: 'Tracking number' },
  { name: 'product', type: 'text', label: 'Product name', max: 120 },
];

const DEFAULT_TEXT_MAX = 300;

/**
 * render fills a template's placeholders from values (by field name; names
 * it does not use are ignored). now anchors "today" (the seller's local
 * date). Values that are missing or not of the field's type leave their
 * marker and are named in problems, in order of first use.
 */
export function render(t: RenderableTemplate, values: Readonly<Record<string, string | undefined>>, now: Date = new Date()): Rendered {
  const parts = t.parts ?? parseBody(t.body ?? '');
  const fields = t.fields ?? [];
  const fieldOf = (name: string): Field | undefined => fields.find((f) => f.name === name) ?? STANDARD_FIELDS.find((f) => f.name === name);
  const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  const done = new Map<string, Resolved>();
  const problems = new Map<string, true>();
  let depth = 0;

  const resolve = (name: string): Resolved => {
    const hit = done.get(name);
    if (hit) return hit;
    const f = fieldOf(name);
    if (!f || depth >= fields.length + 1) return { ok: false }; // a broken template: leave the marker
    depth++;
    const v = compute(f);
    depth--;
    done.set(name, v);
    return v;
  };

  const compute = (f: Field): Resolved => {
    let raw = goTrim(values[f.name] ?? '');
    if (f.type !== 'date') {
      if (raw === '') {
        if (!f.default) { problems.set(f.name, true); return { ok: false }; }
        raw = f.default;
      }
      const s = normalize(f, raw);
      if (s === undefined) { problems.set(f.name, true); return { ok: false }; }
      return { ok: true, text: s };
    }
    const fromDefault = raw === '';
    if (fromDefault) {
      raw = f.default ?? '';
      if (raw === '') { problems.set(f.name, true); return { ok: false }; }
    }
    const e = parseDateExpr(raw, fromDefault);
    if (!e) {
      if (!fromDefault) problems.set(f.name, true);
      return { ok: false };
    }
    let d: number;
    if (e.literal !== undefined) d = e.literal;
    else if (e.base) {
      const b = resolve(e.base);
      if (!b.ok || b.date === undefined) { problems.set(f.name, true); return { ok: false }; }
      d = b.date;
    } else d = today;
    d = addDays(d, e.offset, e.business);
    return { ok: true, text: formatDate(d, f.format), date: d };
  };

  let text = '';
  const unfilled: Slot[] = [];
  for (const p of parts) {
    if (p.field === undefined) { text += p.text ?? ''; continue; }
    const v = resolve(p.field);
    if (v.ok) { text += v.text; continue; }
    const label = fieldOf(p.field)?.label ?? labelOf(p.field);
    const marker = `[${label}]`;
    unfilled.push({ name: p.field, label, start: text.length, end: text.length + marker.length });
    text += marker;
  }
  // Problems in order of first use, then of declaration (date bases).
  const order = [...parts.map((p) => p.field ?? ''), ...fields.map((f) => f.name)];
  const named: string[] = [];
  for (const n of order) if (problems.delete(n)) named.push(n);
  return { text, unfilled, problems: named };
}

interface Resolved { ok: boolean; text?: string; date?: number }

/** parseBody splits a body into literal text and {placeholders}; "{{" and "}}" are literal braces. */
export function parseBody(body: string): Part[] {
  const parts: Part[] = [];
  let lit = '';
  for (let i = 0; i < body.length;) {
    const c = body[i]!;
    if ((c === '{' || c === '}') && body[i + 1] === c) { lit += c; i += 2; continue; }
    if (c === '{') {
      const end = body.indexOf('}', i);
      const nl = body.indexOf('\n', i);
      const name = end > i && (nl < 0 || nl > end) ? body.slice(i + 1, end) : '';
      if (validFieldName(name)) {
        if (lit) parts.push({ text: lit });
        lit = '';
        parts.push({ field: name });
        i = end + 1;
        continue;
      }
    }
    lit += c; // a malformed brace (the companion refuses such bodies) stays as text
    i++;
  }
  if (lit) parts.push({ text: lit });
  return parts;
}

function validFieldName(s: string): boolean {
  return s.length > 0 && s.length <= 40 && /^[a-z][a-z0-9_]*$/.test(s);
}

function labelOf(name: string): string {
  const s = name.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// goTrim is Go's strings.TrimSpace: unicode.IsSpace at both ends.
const SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\p{Zs}\\u2028\\u2029]';
const TRIM = new RegExp(`^${SPACE}+|${SPACE}+$`, 'gu');
export function goTrim(s: string): string { return s.replace(TRIM, ''); }

const codePoints = (s: string): number => [...s].length;

/** normalize checks a non-date value against its field's type: the text to insert, or undefined. */
export function normalize(f: Field, raw: string): string | undefined {
  const v = goTrim(raw);
  if (v === '' || /[\n\r]/.test(v) || /\p{Cc}/u.test(v)) return undefined;
  const n = codePoints(v);
  switch (f.type) {
    case 'name':
      if (n > 80 || !/\p{L}/u.test(v)) return undefined;
      return /^[\p{L}\p{M}\p{Nd} .'’\-&,()]+$/u.test(v) ? v : undefined;
    case 'order-id':
      return /^\d{3}-\d{7}-\d{7}$/.test(v) && v.length === 19 ? v : undefined;
    case 'money':
      return isMoney(v) ? v : undefined;
    case 'carrier':
      return n <= 40 && /^[\p{L}\p{Nd} .'\-&]+$/u.test(v) ? v : undefined;
    case 'tracking': {
      const compact = v.replaceAll(' ', '');
      const bytes = new TextEncoder().encode(compact).length;
      if (bytes < 6 || bytes > 40 || !/\p{Nd}/u.test(compact)) return undefined;
      return /^[0-9A-Za-z-]+$/.test(compact) ? v : undefined;
    }
    case 'text':
      return n <= (f.max || DEFAULT_TEXT_MAX) ? v : undefined;
    case 'choice':
      return (f.options ?? []).find((o) => equalFold(o, v));
    case 'number': {
      if (!/^[+-]?\d{1,18}$/.test(v)) return undefined;
      const x = Number(v);
      return x >= 0 && x <= 100000 ? String(x) : undefined;
    }
    default:
      return undefined;
  }
}

function equalFold(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase();
}

const CURRENCY_SYMBOLS = ['US$', 'CA$', 'A$', 'R$', 'S$', '$', '€', '£', '¥', '₹', 'zł', 'kr', 'CHF', 'AED', 'SAR', 'TL', '₺'];

/** isMoney accepts an amount with an optional currency symbol or ISO code before or after it. */
export function isMoney(s: string): boolean {
  let amt = s;
  const isCode = (x: string) => /^[A-Z]{3}$/.test(x);
  const strip = (fromEnd: boolean) => {
    amt = goTrim(amt);
    for (const sym of CURRENCY_SYMBOLS) {
      if (!fromEnd && amt.startsWith(sym)) { amt = amt.slice(sym.length); return; }
      if (fromEnd && amt.endsWith(sym)) { amt = amt.slice(0, amt.length - sym.length); return; }
    }
    // An ISO 4217 code: three capitals (Go compares bytes; a code is ASCII).
    const b = new TextEncoder().encode(amt);
    if (b.length > 3) {
      if (!fromEnd && isCode(amt.slice(0, 3))) amt = amt.slice(3);
      else if (fromEnd && isCode(amt.slice(-3))) amt = amt.slice(0, -3);
    }
  };
  strip(false);
  strip(true);
  amt = goTrim(amt);
  if (amt === '' || new TextEncoder().encode(amt).length > 20) return false;
  let digits = 0;
  for (let i = 0; i < amt.length; i++) {
    const c = amt[i]!;
    if (c >= '0' && c <= '9') digits++;
    else if (c === '.' || c === ',') {
      const prev = amt[i - 1];
      if (i === 0 || i === amt.length - 1 || prev === undefined || prev < '0' || prev > '9') return false;
    } else return false;
  }
  const groups = amt.split(/[.,]/).filter((g) => g !== '');
  if (groups.length > 1) {
    const seps = amt.replace(/[^.,]/g, '');
    const last = groups[groups.length - 1]!;
    const decimal = last.length === 1 || last.length === 2;
    if (!decimal && last.length !== 3) return false;
    let thousands = groups.slice(0, -1);
    if (decimal) {
      if (seps.length > 1 && seps.slice(0, -1).includes(seps[seps.length - 1]!)) return false;
    } else thousands = groups;
    for (let i = 0; i < thousands.length; i++) {
      const g = thousands[i]!;
      if (i === 0 && thousands.length > 1 && (g.length < 1 || g.length > 3)) return false;
      if (i > 0 && g.length !== 3) return false;
    }
  }
  return digits > 0;
}

interface DateExpr { base?: string; literal?: number; offset: number; business: boolean }

/** parseDateExpr reads YYYY-MM-DD, today, today±N[d|bd], or (in defaults) FIELD±N[d|bd]. */
export function parseDateExpr(raw: string, allowField: boolean): DateExpr | undefined {
  const s = goTrim(raw);
  if (s === '') return undefined;
  const lit = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (lit) {
    const [y, m, d] = [Number(lit[1]), Number(lit[2]), Number(lit[3])];
    const back = new Date(0);
    back.setUTCFullYear(y, m - 1, d); // not Date.UTC, which reads years 0-99 as 1900-1999
    const t = back.getTime();
    if (m >= 1 && m <= 12 && back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d) {
      return { literal: t, offset: 0, business: false };
    }
  }
  const k = s.search(/[+-]/);
  const base = goTrim(k >= 0 ? s.slice(0, k) : s);
  const off = k >= 0 ? goTrim(s.slice(k)) : '';
  const e: DateExpr = { offset: 0, business: false };
  if (base === 'today') { /* today */ } else if (allowField && validFieldName(base)) e.base = base;
  else return undefined;
  if (off === '') return e;
  const sign = off[0] === '-' ? -1 : 1;
  let num = goTrim(off.slice(1));
  if (num.endsWith('bd')) { e.business = true; num = num.slice(0, -2); } else if (num.endsWith('d')) num = num.slice(0, -1);
  num = goTrim(num);
  if (!/^[+-]?\d{1,5}$/.test(num)) return undefined;
  const n = Number(num);
  if (n < 0 || n > 3660) return undefined;
  e.offset = sign * n;
  return e;
}

/** addDays adds n calendar days, or n business days (Monday to Friday), to a UTC midnight. */
export function addDays(t: number, n: number, business: boolean): number {
  const DAY = 86400000;
  if (!business) return t + n * DAY;
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  while (left > 0) {
    t += step * DAY;
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return t;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** formatDate writes a UTC midnight in one of the templates' named formats (templates.DateFormats). */
export function formatDate(t: number, format?: string): string {
  const d = new Date(t);
  const y = d.getUTCFullYear(), mon = MONTHS[d.getUTCMonth()]!, day = d.getUTCDate(), wd = WEEKDAYS[d.getUTCDay()]!;
  switch (format) {
    case 'long': return `${wd}, ${mon} ${day}, ${y}`;
    case 'short': return `${mon} ${day}`;
    case 'weekday': return `${wd}, ${mon} ${day}`;
    case 'day-month': return `${day} ${mon} ${y}`;
    case 'day-month-long': return `${wd} ${day} ${mon} ${y}`;
    case 'iso': return `${String(y).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    default: return `${mon} ${day}, ${y}`;
  }
}
