// Placeholder filling for templates. Template bodies use {name} placeholders
// ("{{" and "}}" are literal braces), as in templates/ (the companion's
// format). Values come from the page (order id, buyer first name,
// marketplace, order date) and from field defaults (dates like today+3bd).
// What cannot be filled stays as {name} in the text so the seller sees it and
// Tab can select it.

export interface Field { name: string; type?: string; label?: string; default?: string; format?: string }

export interface PageValues {
  orderId?: string;
  buyerFirstName?: string;
  marketplace?: string;
  orderDate?: string; // YYYY-MM-DD
  sellerName?: string;
}

export interface Hole { start: number; end: number; name: string }

export const PLACEHOLDER_RE = /\{([a-z][a-z0-9_]*)\}/g;

const LOCALES: Record<string, string> = {
  US: 'en-US', CA: 'en-CA', MX: 'es-MX', BR: 'pt-BR', UK: 'en-GB', GB: 'en-GB', IE: 'en-IE', DE: 'de-DE', FR: 'fr-FR',
  IT: 'it-IT', ES: 'es-ES', NL: 'nl-NL', SE: 'sv-SE', PL: 'pl-PL', BE: 'fr-BE', TR: 'tr-TR', AE: 'en-AE', SA: 'ar-SA',
  EG: 'ar-EG', ZA: 'en-ZA', IN: 'en-IN', JP: 'ja-JP', AU: 'en-AU', SG: 'en-SG', EU: 'en-GB',
};

export function localeFor(marketplace: string | undefined): string {
  return LOCALES[(marketplace ?? 'US').toUpperCase()] ?? 'en-US';
}

/** dateExpr evaluates today, today+N, today+Nbd (business days), FIELD+N, or YYYY-MM-DD. */
export function evalDate(expr: string, now: Date, dates: Record<string, string | undefined>): Date | undefined {
  const s = expr.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return new Date(`${s}T00:00:00Z`);
  const m = s.match(/^([a-z][a-z0-9_]*)\s*(?:([+-])\s*(\d+)\s*(bd|d)?)?$/);
  if (!m) return undefined;
  let base: Date;
  if (m[1] === 'today') base = new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
  else {
    const v = dates[m[1]!];
    if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return undefined;
    base = new Date(`${v}T00:00:00Z`);
  }
  if (!m[2]) return base;
  const n = Number(m[3]) * (m[2] === '-' ? -1 : 1);
  if (m[4] !== 'bd') return new Date(base.getTime() + n * 86400000);
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  const d = new Date(base);
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + step);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return d;
}

export function formatDate(d: Date, marketplace: string | undefined, format?: string): string {
  if (format === 'iso') return d.toISOString().slice(0, 10);
  const style = format === 'long' ? 'long' : format === 'short' ? 'short' : 'medium';
  return new Intl.DateTimeFormat(localeFor(marketplace), { dateStyle: style, timeZone: 'UTC' }).format(d);
}

/** valueFor returns the page's value for a standard placeholder name. */
function pageValue(name: string, v: PageValues): string | undefined {
  switch (name) {
    case 'order_id': return v.orderId;
    case 'buyer_name': case 'buyer_first_name': case 'first_name': return v.buyerFirstName;
    case 'marketplace': return v.marketplace;
    case 'seller_name': case 'shop_name': return v.sellerName;
    case 'order_date': return v.orderDate;
    default: return undefined;
  }
}

/**
 * fill renders a template body with what the page knows. It returns the text
 * and the holes: placeholders left for the seller, in order.
 */
export function fill(body: string, fields: readonly Field[], values: PageValues, now = new Date()): { text: string; holes: Hole[] } {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const dates: Record<string, string | undefined> = { order_date: values.orderDate };
  let out = '';
  const holes: Hole[] = [];
  for (let i = 0; i < body.length;) {
    const c = body[i]!;
    if ((c === '{' || c === '}') && body[i + 1] === c) { out += c; i += 2; continue; }
    if (c === '{') {
      const end = body.indexOf('}', i);
      const name = end > i ? body.slice(i + 1, end) : '';
      if (/^[a-z][a-z0-9_]*$/.test(name)) {
        const f = byName.get(name);
        let val = pageValue(name, values);
        if (val !== undefined && (f?.type === 'date' || name.endsWith('_date'))) {
          const d = evalDate(val, now, dates);
          if (d) val = formatDate(d, values.marketplace, f?.format);
        }
        if (val === undefined && f?.default) {
          if (f.type === 'date') {
            const d = evalDate(f.default, now, dates);
            if (d) val = formatDate(d, values.marketplace, f.format);
          } else val = f.default;
        }
        if (val === undefined) {
          holes.push({ start: out.length, end: out.length + name.length + 2, name });
          out += `{${name}}`;
        } else out += val;
        i = end + 1;
        continue;
      }
    }
    out += c;
    i++;
  }
  return { text: out, holes };
}

/** nextHole finds the next {placeholder} in text at or after `from`, wrapping around. */
export function nextHole(text: string, from: number): Hole | undefined {
  const all: Hole[] = [];
  for (const m of text.matchAll(PLACEHOLDER_RE)) all.push({ start: m.index!, end: m.index! + m[0].length, name: m[1]! });
  return all.find((h) => h.start >= from) ?? all[0];
}
