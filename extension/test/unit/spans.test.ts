import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diff, remap, remapAll } from '../../src/content/spans';

test('diff finds the single changed region', () => {
  const cases: [string, string, ReturnType<typeof diff>][] = [
    ['abc', 'abc', null],
    ['abc', 'abXc', { start: 2, oldEnd: 2, newEnd: 3 }],
    ['abXc', 'abc', { start: 2, oldEnd: 3, newEnd: 2 }],
    ['hello world', 'hello brave world', { start: 6, oldEnd: 6, newEnd: 12 }],
    ['', 'x', { start: 0, oldEnd: 0, newEnd: 1 }],
    ['aaa', 'aaaa', { start: 3, oldEnd: 3, newEnd: 4 }],
    ['x', '', { start: 0, oldEnd: 1, newEnd: 0 }],
  ];
  for (const [a, b, want] of cases) assert.deepEqual(diff(a, b), want, `${a} -> ${b}`);
});

test('diff never splits a surrogate pair', () => {
  // 😀 = \ud83d\ude00 and 😁 = \ud83d\ude01 share the high surrogate.
  const e = diff('a😀b', 'a😁b');
  assert.deepEqual(e, { start: 1, oldEnd: 3, newEnd: 3 });
});

test('remap keeps spans before, shifts spans after, drops spans touched', () => {
  const text = 'visit www.example.com or email me@x.com';
  const before = { start: 6, end: 21 }; // www.example.com
  const after = { start: 31, end: 39 }; // me@x.com
  assert.equal(text.slice(before.start, before.end), 'www.example.com');
  assert.equal(text.slice(after.start, after.end), 'me@x.com');

  // Insert between them: first stays, second shifts.
  const t2 = text.replace(' or ', ' or please ');
  const out = remapAll([before, after], text, t2);
  assert.deepEqual(out.map((s) => t2.slice(s.start, s.end)), ['www.example.com', 'me@x.com']);

  // Type inside the URL: it is dropped, the email shifts.
  const t3 = text.replace('example', 'exXample');
  const out3 = remapAll([before, after], text, t3);
  assert.deepEqual(out3.map((s) => t3.slice(s.start, s.end)), ['me@x.com']);

  // Typing right after a flagged word keeps its underline where it was.
  assert.deepEqual(remap(before, { start: 21, oldEnd: 21, newEnd: 22 }), before);
  // Typing right before it shifts it.
  assert.deepEqual(remap(before, { start: 6, oldEnd: 6, newEnd: 7 }), { start: 7, end: 22 });
  // Deleting the whole text drops everything.
  assert.deepEqual(remapAll([before, after], text, ''), []);
});

test('remap preserves extra fields', () => {
  const f = { start: 4, end: 8, rule: 'emoji', severity: 'error' as const };
  const r = remap(f, { start: 0, oldEnd: 0, newEnd: 2 });
  assert.deepEqual(r, { start: 6, end: 10, rule: 'emoji', severity: 'error' });
});

test('remapAll over many random edits matches the text', () => {
  // Property: a span that survives covers exactly the same characters as before.
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  for (let i = 0; i < 500; i++) {
    const base = Array.from({ length: 40 }, () => 'abcdefgh '[rnd(9)]).join('');
    const s = rnd(35), e = s + 1 + rnd(4);
    const span = { start: s, end: e };
    const at = rnd(41), del = rnd(3), ins = 'XYZ'.slice(0, rnd(4));
    const next = base.slice(0, at) + ins + base.slice(Math.min(base.length, at + del));
    const [r] = remapAll([span], base, next);
    if (r) assert.equal(next.slice(r.start, r.end), base.slice(s, e), `${base} -> ${next}`);
  }
});
