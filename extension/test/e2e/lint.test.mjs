// Live linting in real Chromium on Seller Central-shaped pages: underlines on
// the violating words (hit-tested by the browser), through scroll, resize and
// zoom; kat-textarea in a shadow root, contenteditable with CSS highlights,
// a strict-CSP page, a box that appears after client-side navigation, IME.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openFixture, startFixtures, tmp, ORDER, until } from './harness.mjs';
import { assertOnWords, lintsSettled, textareaUnderlines } from './checks.mjs';

const BAD = 'Hello! Please visit www.example.com or email bob@example.com, and definately leave a positive review.';
let dir, fx, b;
before(async () => { dir = tmp(); fx = await startFixtures(dir); b = await launch({ fixturePort: fx.port, dir }); });
after(async () => { await b?.close(); await fx?.close(); });

async function underlinedWords(page) { return (await textareaUnderlines(page)).out.map((u) => u.word); }

test('strict-CSP page: policy.wasm runs in the extension, underlines land on the violating words', async () => {
  const page = await openFixture(b.context, `/messaging/inbox/strict?orderId=${ORDER}`);
  // The page really is strict: its own inline script and wasm are refused.
  const csp = await page.evaluate(async () => { try { await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); return 'allowed'; } catch (e) { return 'blocked'; } });
  assert.equal(csp, 'blocked');
  await page.click('textarea');
  await page.keyboard.type(BAD, { delay: 0 });
  await until(async () => (await underlinedWords(page)).length >= 4, { what: 'underlines' });
  const u = await textareaUnderlines(page);
  assertOnWords(assert, u, ['www.example.com', 'bob@example.com', 'definately', 'a positive review']);
  assert.ok(u.out.find((x) => x.word === 'definately').cls.includes('rg-warning'), 'misspelling is a warning colour');
  assert.ok(u.out.find((x) => x.word === 'www.example.com').cls.includes('rg-error'));
  const chip = await page.evaluate(() => document.querySelector('replyguard-ui').shadowRoot.querySelector('.chip .label').textContent);
  assert.match(chip, /^3 errors, 1 warning$/);
  // The page's editor DOM is untouched: no children, no attributes added.
  assert.deepEqual(await page.evaluate(() => [document.querySelector('textarea').childNodes.length, document.querySelector('textarea').getAttributeNames()]), [0, ['name', 'rows', 'aria-label']]);
  await page.close();
});

test('underlines stay on the words through scroll, resize and zoom', async () => {
  const page = await openFixture(b.context, `/messaging/inbox/thread?orderId=${ORDER}`);
  const long = Array.from({ length: 30 }, (_, i) => `Line ${i + 1} of our reply about your parcel.`).join('\n') + '\nPlease email bob@example.com today.';
  await page.click('textarea');
  await page.keyboard.insertText(long);
  await until(async () => (await underlinedWords(page)).includes('bob@example.com'), { what: 'email underline' });
  // Scroll the textarea to its end: the email line becomes visible.
  await page.evaluate(() => { const t = document.querySelector('textarea'); t.scrollTop = t.scrollHeight; });
  await page.waitForTimeout(100);
  assertOnWords(assert, await textareaUnderlines(page), ['bob@example.com']);
  // Resize: narrower box, words re-wrap.
  await page.evaluate(() => { document.querySelector('textarea').style.width = '420px'; });
  await page.evaluate(() => { const t = document.querySelector('textarea'); t.scrollTop = t.scrollHeight; });
  await page.waitForTimeout(100);
  assertOnWords(assert, await textareaUnderlines(page), ['bob@example.com']);
  // Page layout change above the box (no event fires for this).
  await page.evaluate(() => { const d = document.createElement('div'); d.style.height = '90px'; d.textContent = 'Banner'; document.querySelector('main').prepend(d); });
  await page.waitForTimeout(100);
  assertOnWords(assert, await textareaUnderlines(page), ['bob@example.com']);
  // Zoom: CSS zoom on the page and a window resize.
  await page.evaluate(() => { document.body.style.zoom = '1.25'; });
  await page.evaluate(() => { const t = document.querySelector('textarea'); t.scrollTop = t.scrollHeight; });
  await page.waitForTimeout(100);
  assertOnWords(assert, await textareaUnderlines(page), ['bob@example.com']);
  await page.setViewportSize({ width: 900, height: 700 });
  await page.waitForTimeout(150);
  assertOnWords(assert, await textareaUnderlines(page), ['bob@example.com']);
  await page.close();
});

test('kat-textarea: the real textarea in the shadow root is found and underlined', async () => {
  const page = await openFixture(b.context, `/messaging/contact?orderID=${ORDER}&marketplaceID=ATVPDKIKX0DER`);
  const ta = page.locator('kat-textarea textarea');
  await ta.click();
  await page.keyboard.type('Call me at 555-123-4567 or visit www.example.com', { delay: 0 });
  await until(async () => (await underlinedWords(page)).includes('www.example.com'), { what: 'underline in shadow textarea' });
  const u = await textareaUnderlines(page);
  assertOnWords(assert, u, ['www.example.com']);
  assert.ok(u.out.some((x) => /555-123-4567/.test(x.word)), `phone underlined: ${u.out.map((x) => x.word)}`);
  await page.close();
});

test('contenteditable: CSS highlights cover exactly the violating text', async () => {
  const page = await openFixture(b.context, `/messaging/inbox/rich?orderId=${ORDER}`);
  await page.click('[contenteditable]');
  await page.keyboard.type('Thanks! Visit www.example.com.', { delay: 0 });
  await page.keyboard.press('Enter');
  await page.keyboard.type('Or email bob@example.com please', { delay: 0 });
  const res = await until(() => page.evaluate(() => {
    const h = CSS.highlights.get('replyguard-error');
    if (!h || h.size < 2) return null;
    const ed = document.querySelector('[contenteditable]');
    const find = (word) => {
      const w = document.createTreeWalker(ed, NodeFilter.SHOW_TEXT);
      for (let n = w.nextNode(); n; n = w.nextNode()) { const i = n.data.indexOf(word); if (i >= 0) { const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + word.length); return r; } }
      return null;
    };
    const rect = (r) => [...r.getClientRects()].map((x) => [x.left, x.top, x.width, x.height].map(Math.round));
    const ours = [...h].map((r) => ({ text: r.toString(), rects: rect(r) }));
    return { ours, want: ['www.example.com', 'bob@example.com'].map((w) => ({ text: w, rects: rect(find(w)) })), editorHTML: ed.innerHTML };
  }), { what: 'highlights' });
  for (const w of res.want) {
    const got = res.ours.find((o) => o.text === w.text);
    assert.ok(got, `${w.text} highlighted; got ${JSON.stringify(res.ours.map((o) => o.text))}`);
    assert.deepEqual(got.rects, w.rects, `${w.text}: highlight rects equal Range.getClientRects of the same text`);
  }
  assert.ok(!/replyguard|rg-/.test(res.editorHTML), 'editor DOM not modified');
  await page.close();
});

test('a reply box that appears after client-side navigation is picked up', async () => {
  const page = await openFixture(b.context, '/home', { boxes: 0 });
  await page.click('a[data-spa]');
  await page.waitForFunction(() => document.querySelector('replyguard-ui')?.dataset.boxes === '1', null, { timeout: 10000 });
  assert.match(page.url(), /\/messaging\/inbox\/thread\?orderId=444-5555555-6666666$/);
  await page.click('textarea');
  await page.keyboard.type('Email bob@example.com', { delay: 0 });
  await until(async () => (await underlinedWords(page)).includes('bob@example.com'), { what: 'underline after SPA navigation' });
  await page.close();
});

test('no linting during IME composition; the committed text is linted', async () => {
  const page = await openFixture(b.context, `/messaging/inbox/thread?orderId=${ORDER}`);
  await page.click('textarea');
  await page.keyboard.insertText('Hello ');
  await lintsSettled(page);
  const before = await page.evaluate(() => Number(document.querySelector('replyguard-ui').dataset.lints));
  const cdp = await page.context().newCDPSession(page);
  for (const t of ['w', 'ww', 'www', 'www.e', 'www.example', 'www.example.com']) {
    await cdp.send('Input.imeSetComposition', { text: t, selectionStart: t.length, selectionEnd: t.length });
  }
  await page.waitForTimeout(300);
  const during = await page.evaluate(() => Number(document.querySelector('replyguard-ui').dataset.lints));
  assert.equal(during, before, 'no lint ran while composing');
  await cdp.send('Input.insertText', { text: 'www.example.com' });
  await until(async () => (await underlinedWords(page)).includes('www.example.com'), { what: 'lint after compositionend' });
  await page.close();
});

test('long texts: a 20,000-character reply is linted and underlined', async () => {
  const page = await openFixture(b.context, `/messaging/inbox/thread?orderId=${ORDER}`);
  const filler = 'We are looking into your order and will update you shortly. ';
  const text = filler.repeat(340) + 'Email bob@example.com.';
  assert.ok(text.length > 20000);
  await page.click('textarea');
  await page.keyboard.insertText(text);
  await until(async () => (await underlinedWords(page)).includes('bob@example.com'), { what: 'underline at the end of a long text' });
  await page.close();
});

test('other marketplaces: the content script runs on sellercentral.amazon.de too', async () => {
  const page = await b.context.newPage();
  await page.goto(`https://sellercentral.amazon.de/messaging/inbox/thread?orderId=${ORDER}`);
  await page.waitForFunction(() => document.querySelector('replyguard-ui')?.dataset.boxes === '1', null, { timeout: 15000 });
  await page.click('textarea');
  await page.keyboard.insertText('Schreiben Sie an bob@example.com');
  await until(async () => (await underlinedWords(page)).includes('bob@example.com'), { what: 'underline on .de' });
  await page.close();
});
