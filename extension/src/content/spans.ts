// Span remapping: lint results arrive for a text the seller may already have
// edited. Rather than drop every underline until the next result (flicker) or
// draw stale ones in the wrong place (lies), each span is carried through the
// edit: spans before the edit stay, spans after it shift, spans the edit
// touched are dropped because their words changed.

export interface Span { start: number; end: number }

/** The single replaced region turning `a` into `b`: a[start, oldEnd) became b[start, newEnd). */
export interface Edit { start: number; oldEnd: number; newEnd: number }

/** diff finds the smallest single region that differs (common prefix and suffix). Returns null when equal. */
export function diff(a: string, b: string): Edit | null {
  if (a === b) return null;
  const max = Math.min(a.length, b.length);
  let p = 0;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  // Do not split a surrogate pair: widen the region to whole code points.
  if (p > 0 && isHigh(a.charCodeAt(p - 1))) p--;
  if (s > 0 && isLow(a.charCodeAt(a.length - s))) s--;
  return { start: p, oldEnd: a.length - s, newEnd: b.length - s };
}

function isHigh(c: number): boolean { return c >= 0xd800 && c <= 0xdbff; }
function isLow(c: number): boolean { return c >= 0xdc00 && c <= 0xdfff; }

/**
 * remap carries one span through an edit. A span that ends where the edit
 * starts, or starts where it ends, is untouched by it (typing right after a
 * flagged word keeps the underline); one the edit overlaps is dropped.
 */
export function remap<T extends Span>(span: T, e: Edit | null): T | null {
  if (!e) return span;
  const delta = e.newEnd - e.oldEnd;
  if (span.end <= e.start) return span;
  if (span.start >= e.oldEnd) return { ...span, start: span.start + delta, end: span.end + delta };
  return null;
}

/** remapAll carries spans from text `from` to text `to`, dropping the ones the edit touched. */
export function remapAll<T extends Span>(spans: readonly T[], from: string, to: string): T[] {
  const e = diff(from, to);
  const out: T[] = [];
  for (const s of spans) {
    const r = remap(s, e);
    if (r && r.end <= to.length) out.push(r);
  }
  return out;
}
