import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evalDate, fill, nextHole } from '../../src/content/placeholders';

const now = new Date('2026-11-20T15:00:00'); // a Friday

test('fill puts page values into standard placeholders', () => {
  const r = fill('Hello {buyer_name}, about order {order_id}: {{braces}} stay.', [], { buyerFirstName: 'Anna', orderId: '123-1234567-1234567' }, now);
  assert.equal(r.text, 'Hello Anna, about order 123-1234567-1234567: {braces} stay.');
  assert.deepEqual(r.holes, []);
});

test('fill leaves unknown placeholders as holes, in order, with exact offsets', () => {
  const r = fill('Hi {buyer_name}, your {carrier} number is {tracking_number}.', [], {}, now);
  assert.equal(r.text, 'Hi {buyer_name}, your {carrier} number is {tracking_number}.');
  assert.deepEqual(r.holes.map((h) => r.text.slice(h.start, h.end)), ['{buyer_name}', '{carrier}', '{tracking_number}']);
  assert.deepEqual(r.holes.map((h) => h.name), ['buyer_name', 'carrier', 'tracking_number']);
});

test('fill evaluates date defaults, business days skip the weekend', () => {
  const fields = [{ name: 'ship_by', type: 'date', default: 'today+1bd', format: 'iso' }, { name: 'refund_by', type: 'date', default: 'today+3d', format: 'iso' }];
  const r = fill('Ships {ship_by}; refund by {refund_by}.', fields, {}, now);
  assert.equal(r.text, 'Ships 2026-11-23; refund by 2026-11-23.');
  const medium = fill('{ship_by}', [{ name: 'ship_by', type: 'date', default: 'today+1bd' }], { marketplace: 'DE' }, now);
  assert.equal(medium.text, '23.11.2026');
});

test('fill uses non-date defaults and marketplace', () => {
  const r = fill('{greeting} from {marketplace}', [{ name: 'greeting', type: 'text', default: 'Hello' }], { marketplace: 'UK' }, now);
  assert.equal(r.text, 'Hello from UK');
});

test('evalDate handles field bases and rejects junk', () => {
  assert.equal(evalDate('order_date+30d', now, { order_date: '2026-01-15' })?.toISOString().slice(0, 10), '2026-02-14');
  assert.equal(evalDate('2026-03-01', now, {})?.toISOString().slice(0, 10), '2026-03-01');
  assert.equal(evalDate('soon', now, {}), undefined);
  assert.equal(evalDate('delivered+2d', now, {}), undefined);
});

test('nextHole walks placeholders and wraps', () => {
  const t = 'a {x} b {y_2} c';
  assert.deepEqual(nextHole(t, 0), { start: 2, end: 5, name: 'x' });
  assert.deepEqual(nextHole(t, 3), { start: 8, end: 13, name: 'y_2' });
  assert.deepEqual(nextHole(t, 14), { start: 2, end: 5, name: 'x' });
  assert.equal(nextHole('none here', 0), undefined);
});
