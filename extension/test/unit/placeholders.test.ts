import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fill, nextMarker, vars } from '../../src/content/placeholders';
import { addDays, formatDate, isMoney, normalize, parseBody, parseDateExpr, render, type Field, type Part } from '../../src/content/render';

interface ParityCase {
  template: string; now: string; values: Record<string, string>;
  text: string; unfilled: { name: string; label: string; start: number; end: number }[]; problems: string[];
}
interface BuiltinTemplate { id: string; body: string; fields?: Field[]; parts?: Part[] }

// The Go renderer's answers (templates/testdata/render-parity.json, written
// by `go test ./templates -run RenderParity -update`) over every built-in,
// with empty, sample, page-like, wrong and unusual values.
const repo = join(process.cwd(), '..');
const cases: ParityCase[] = JSON.parse(readFileSync(join(repo, 'templates/testdata/render-parity.json'), 'utf8'));
const builtins: BuiltinTemplate[] = JSON.parse(readFileSync(join(process.cwd(), 'dist/templates.json'), 'utf8'));

test('render matches the Go renderer on every parity case', () => {
  assert.ok(cases.length >= 150, `only ${cases.length} parity cases`);
  const byId = new Map(builtins.map((t) => [t.id, t]));
  for (const c of cases) {
    const t = byId.get(c.template);
    assert.ok(t, `built-in ${c.template} missing from dist/templates.json`);
    const d = new Date(c.now);
    // "today" is the seller's local date: the same calendar day as the Go case.
    const now = new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 12);
    const got = render(t!, c.values, now);
    const label = `${c.template} with ${JSON.stringify(c.values)}`;
    assert.equal(got.text, c.text, label);
    assert.deepEqual(got.unfilled, c.unfilled, label);
    assert.deepEqual(got.problems, c.problems, label);
  }
});

test('render parses a body without parts the way the Go parser does', () => {
  const t = builtins.find((x) => (x.fields ?? []).some((f) => f.type === 'date'))!;
  const now = new Date(2026, 10, 18, 9);
  const withParts = render(t, { buyer_name: 'Ana' }, now);
  const fromBody = render({ ...t, parts: undefined }, { buyer_name: 'Ana' }, now);
  assert.deepEqual(fromBody, withParts);
  assert.deepEqual(parseBody('a {{b}} {c} }} {bad name} {'), [{ text: 'a {b} ' }, { field: 'c' }, { text: ' } {bad name} {' }]);
});

test('markers keep their label and UTF-16 span, emoji before them included', () => {
  const r = render({ body: '😀 {carrier} and {tracking_number}' }, {}, new Date());
  assert.equal(r.text, '😀 [Carrier] and [Tracking number]');
  assert.deepEqual(r.unfilled.map((s) => r.text.slice(s.start, s.end)), ['[Carrier]', '[Tracking number]']);
  assert.deepEqual(r.problems, ['carrier', 'tracking_number']);
});

test('typed values: what each type takes and refuses', () => {
  const ok: [Field, string, string][] = [
    [{ name: 'n', type: 'name' }, "  O'Neil  ", "O'Neil"],
    [{ name: 'o', type: 'order-id' }, '114-3941689-8772232', '114-3941689-8772232'],
    [{ name: 'c', type: 'choice', options: ['full refund', 'partial refund'] }, 'Partial Refund', 'partial refund'],
    [{ name: 'x', type: 'number' }, '007', '7'],
    [{ name: 't', type: 'tracking' }, '1Z 999 AA1', '1Z 999 AA1'],
  ];
  for (const [f, v, want] of ok) assert.equal(normalize(f, v), want, `${f.type} ${v}`);
  const bad: [Field, string][] = [
    [{ name: 'n', type: 'name' }, 'a@b.c'], [{ name: 'o', type: 'order-id' }, '114-3941689-877223'],
    [{ name: 'c', type: 'choice', options: ['a', 'b'] }, 'c'], [{ name: 'x', type: 'number' }, '100001'],
    [{ name: 't', type: 'text', max: 3 }, 'four'], [{ name: 't', type: 'text' }, 'two\nlines'],
  ];
  for (const [f, v] of bad) assert.equal(normalize(f, v), undefined, `${f.type} ${JSON.stringify(v)}`);
  for (const m of ['$24.99', '24,99 EUR', '£1,234.50', 'EUR 1.234,50', '5']) assert.ok(isMoney(m), m);
  for (const m of ['lots', '1,2,3', '$', '12.345.6,78.9']) assert.ok(!isMoney(m), m);
});

test('dates: expressions, business days and the named formats', () => {
  const wed = Date.UTC(2026, 10, 18);
  assert.equal(formatDate(addDays(wed, 3, true), 'weekday'), 'Monday, November 23');
  assert.equal(formatDate(addDays(wed, -3, true), 'iso'), '2026-11-13');
  assert.equal(formatDate(wed), 'November 18, 2026');
  assert.equal(formatDate(wed, 'long'), 'Wednesday, November 18, 2026');
  assert.equal(formatDate(wed, 'day-month-long'), 'Wednesday 18 November 2026');
  assert.deepEqual(parseDateExpr('deliver_by + 1bd', true), { base: 'deliver_by', offset: 1, business: true });
  assert.equal(parseDateExpr('deliver_by+1bd', false), undefined, 'fields only in defaults');
  assert.equal(parseDateExpr('2026-02-30', false), undefined);
  assert.equal(parseDateExpr('today+3661', false), undefined);
});

test('page facts reach the placeholders by their template names', () => {
  const t = { body: 'Hi {buyer_name}, order {order_id}.', fields: [] };
  const r = fill(t, { buyerFirstName: 'Anna', orderId: '123-1234567-1234567' });
  assert.equal(r.text, 'Hi Anna, order 123-1234567-1234567.');
  assert.deepEqual(r.holes, []);
  assert.deepEqual(vars({ orderId: '1', buyerFirstName: 'A', marketplace: 'UK', orderDate: '2026-01-02', sellerName: 'S' }),
    { order_id: '1', buyer_name: 'A', marketplace: 'UK', order_date: '2026-01-02', seller_name: 'S' });
});

test('nextMarker walks the last insert\'s markers in order and wraps, ignoring other brackets', () => {
  const text = 'See [note]. Ships with [Carrier], tracking [Tracking number]; [Carrier] again.';
  const markers = ['[Carrier]', '[Tracking number]', '[Carrier]'];
  const a = nextMarker(text, markers, 0)!;
  assert.equal(text.slice(a.start, a.end), '[Carrier]');
  const b = nextMarker(text, markers, a.end)!;
  assert.equal(text.slice(b.start, b.end), '[Tracking number]');
  const c = nextMarker(text, markers, b.end)!;
  assert.equal(c.start, text.lastIndexOf('[Carrier]'));
  assert.equal(nextMarker(text, markers, text.length)!.start, a.start, 'wraps to the first');
  assert.equal(nextMarker(text, [], 0), undefined);
});
