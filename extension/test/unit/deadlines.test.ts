import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dueWithin, formatLeft, merge, threadLink, toNotify } from '../../src/background/deadlines';

const now = Date.parse('2026-11-22T12:00:00Z');
const at = (h: number) => new Date(now + h * 3600e3).toISOString();

test('merge: companion deadlines win, local fill gaps, replied and resolved drop out', () => {
  const remote = [
    { order_id: 'A', due_at: at(3), state: 'due-soon' },
    { order_id: 'B', due_at: at(10), state: 'resolved' },
    { order_id: 'C', due_at: at(-1), state: 'missed' },
  ];
  const local = [
    { order_id: 'A', due_at: at(3.1), url: 'https://x/thread-a', buyer: 'Ann' },
    { order_id: 'D', due_at: at(20) },
    { order_id: 'E', due_at: at(1) },
  ];
  const out = merge(remote, local, new Set(['E']));
  assert.deepEqual(out.map((d) => d.order_id), ['C', 'A', 'D']);
  const a = out.find((d) => d.order_id === 'A')!;
  assert.equal(a.due_at, at(3), 'remote due time wins');
  assert.equal(a.url, 'https://x/thread-a', 'local link kept');
  assert.equal(a.local, false);
  assert.equal(out.find((d) => d.order_id === 'D')!.local, true);
});

test('badge counts replies due within 4 h, overdue included', () => {
  const ds = [{ order_id: 'a', due_at: at(-2) }, { order_id: 'b', due_at: at(3.99) }, { order_id: 'c', due_at: at(4.01) }, { order_id: 'd', due_at: at(20) }];
  assert.equal(dueWithin(ds, now), 2);
  assert.equal(dueWithin([], now), 0);
});

test('notify once per deadline, in its last hour or when late', () => {
  const ds = [{ order_id: 'a', due_at: at(0.5) }, { order_id: 'b', due_at: at(2) }, { order_id: 'c', due_at: at(-1) }];
  assert.deepEqual(toNotify(ds, now, new Set()).map((d) => d.order_id), ['a', 'c']);
  assert.deepEqual(toNotify(ds, now, new Set([`a|${at(0.5)}`])).map((d) => d.order_id), ['c']);
});

test('formatLeft reads naturally', () => {
  assert.equal(formatLeft(at(3.5), now), '3 h 30 min left');
  assert.equal(formatLeft(at(-0.25), now), '15 min late');
});

test('threadLink prefers the thread, else the marketplace inbox (only Seller Central hosts)', () => {
  assert.equal(threadLink({ order_id: 'x', url: 'https://sellercentral.amazon.de/messaging/inbox/thread?id=1' }), 'https://sellercentral.amazon.de/messaging/inbox/thread?id=1');
  assert.equal(threadLink({ order_id: '1-2', marketplace: 'sellercentral.amazon.co.uk' }), 'https://sellercentral.amazon.co.uk/messaging/inbox?fi=RESPONSE_NEEDED&q=1-2');
  assert.equal(threadLink({ order_id: '1-2', marketplace: 'evil.example' }), 'https://sellercentral.amazon.com/messaging/inbox?fi=RESPONSE_NEEDED&q=1-2');
});
