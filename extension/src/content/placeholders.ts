// What the page knows that templates can use, and the markers a rendered
// template leaves for the seller. Rendering itself is render.ts (a port of
// the Go renderer); this module maps page facts to placeholder names and
// finds the markers again for Tab.

import { render, type Field, type RenderableTemplate, type Slot } from './render';

export type { Field };

export interface PageValues {
  orderId?: string;
  buyerFirstName?: string;
  marketplace?: string;
  orderDate?: string; // YYYY-MM-DD
  sellerName?: string;
}

/** vars maps page facts to the placeholder names templates use. */
export function vars(v: PageValues): Record<string, string | undefined> {
  return {
    order_id: v.orderId,
    buyer_name: v.buyerFirstName,
    marketplace: v.marketplace,
    order_date: v.orderDate,
    seller_name: v.sellerName,
  };
}

/** fill renders a template with what the page knows: the text, and the markers left to fill, in order. */
export function fill(t: RenderableTemplate, values: PageValues, now = new Date()): { text: string; holes: Slot[] } {
  const r = render(t, vars(values), now);
  return { text: r.text, holes: r.unfilled };
}

/**
 * nextMarker finds the next of the given markers ("[Carrier]") in text at or
 * after `from`, wrapping around. The markers are those of the last insert,
 * so brackets the seller typed are never taken for one.
 */
export function nextMarker(text: string, markers: readonly string[], from: number): { start: number; end: number; marker: string } | undefined {
  let first: { start: number; end: number; marker: string } | undefined;
  let after: typeof first;
  for (const m of new Set(markers)) {
    for (let i = text.indexOf(m); i >= 0; i = text.indexOf(m, i + 1)) {
      const hit = { start: i, end: i + m.length, marker: m };
      if (!first || i < first.start) first = hit;
      if (i >= from && (!after || i < after.start)) after = hit;
    }
  }
  return after ?? first;
}
