import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HOSTS, buyerNameFromHeader, firstName, isSellerCentral, marketplace, orderIdFromUrl, pageKind, sendControlIn } from '../../src/content/adapter';

test('manifest content-script matches are exactly the adapter hosts (no wildcard TLD)', () => {
  // Bundled to node_modules/.cache/rg-test/: the manifest is three levels up.
  const m = JSON.parse(readFileSync(new URL('../../../manifest.json', import.meta.url), 'utf8'));
  const matches: string[] = m.content_scripts[0].matches;
  assert.deepEqual(matches, HOSTS.map((h) => `https://${h}/*`));
  assert.equal(HOSTS.length, 24);
  for (const p of matches) assert.ok(!p.includes('*.') && !/amazon\.\*/.test(p), p);
  assert.equal(m.content_security_policy.extension_pages, "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
});

test('pageKind recognises the messaging pages', () => {
  const cases: [string, string][] = [
    ['https://sellercentral.amazon.com/messaging/inbox?fi=RESPONSE_NEEDED', 'inbox'],
    ['https://sellercentral.amazon.de/messaging/contact?orderID=111-2222222-3333333&marketplaceID=A1PA6795UKMFR9', 'contact'],
    ['https://sellercentral.amazon.com/messaging/reviews?orderId=111-2222222-3333333', 'reviews'],
    ['https://sellercentral.amazon.com/orders-v3/order/111-2222222-3333333', 'order'],
    ['https://sellercentral.amazon.com/home', 'other'],
    ['https://sellercentral.amazon.com/orders-v3/', 'other'],
  ];
  for (const [u, want] of cases) assert.equal(pageKind(new URL(u)), want, u);
});

test('orderIdFromUrl reads each URL shape and rejects malformed ids', () => {
  assert.equal(orderIdFromUrl(new URL('https://x/messaging/contact?orderID=111-2222222-3333333')), '111-2222222-3333333');
  assert.equal(orderIdFromUrl(new URL('https://x/messaging/reviews?orderId=222-3333333-4444444')), '222-3333333-4444444');
  assert.equal(orderIdFromUrl(new URL('https://x/orders-v3/order/333-4444444-5555555')), '333-4444444-5555555');
  assert.equal(orderIdFromUrl(new URL('https://x/messaging/contact?orderID=12-345')), undefined);
  assert.equal(orderIdFromUrl(new URL('https://x/home')), undefined);
});

test('marketplace prefers the marketplaceID parameter over the host', () => {
  assert.equal(marketplace(new URL('https://sellercentral-europe.amazon.com/messaging/contact?marketplaceID=A1PA6795UKMFR9')), 'DE');
  assert.equal(marketplace(new URL('https://sellercentral.amazon.co.uk/messaging/inbox')), 'UK');
  assert.equal(marketplace(new URL('https://sellercentral-japan.amazon.com/x')), 'JP');
  assert.equal(marketplace(new URL('https://example.com/x')), undefined);
});

test('isSellerCentral accepts only https on listed hosts', () => {
  assert.ok(isSellerCentral(new URL('https://sellercentral.amazon.com.au/x')));
  assert.ok(!isSellerCentral(new URL('http://sellercentral.amazon.com/x')));
  assert.ok(!isSellerCentral(new URL('https://sellercentral.amazon.evil.com/x')));
});

test('buyer names come from the Contact Buyer header', () => {
  assert.equal(buyerNameFromHeader('  Send message to   Jane Doe '), 'Jane Doe');
  assert.equal(buyerNameFromHeader('Nachricht senden an Anna Schmidt'), 'Anna Schmidt');
  assert.equal(buyerNameFromHeader('Order details'), undefined);
  assert.equal(buyerNameFromHeader(null), undefined);
  assert.equal(firstName('Mrs. Jane Doe'), 'Jane');
  assert.equal(firstName('Dr Tom'), 'Tom');
  assert.equal(firstName(''), undefined);
});

test('sendControlIn tells first-stage send from the review dialog Send', () => {
  // Minimal Element stand-in: the adapter only calls matches().
  class El { constructor(private sel: string) {} matches(s: string) { return s.split(',').some((x) => x.trim() === this.sel); } }
  (globalThis as any).Element = El;
  const first = new El('kat-button.ayb-contact-form-send-button');
  const final = new El('div[role=dialog] kat-button[label="Send"]');
  assert.deepEqual(sendControlIn([{} as EventTarget, first as unknown as EventTarget]), { el: first, final: false });
  assert.deepEqual(sendControlIn([final as unknown as EventTarget]), { el: final, final: true });
  assert.equal(sendControlIn([new El('button.other') as unknown as EventTarget]), undefined);
});
