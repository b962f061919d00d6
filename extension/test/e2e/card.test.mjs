// Cards, fixes with undo, "ignore here", keyboard access, the send guard and
// the template picker, in real Chromium with the real extension.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openFixture, startFixtures, tmp, ORDER, until } from './harness.mjs';
import { textareaUnderlines } from './checks.mjs';

let dir, fx, b;
before(async () => { dir = tmp(); fx = await startFixtures(dir); b = await launch({ fixturePort: fx.port, dir }); });
after(async () => { await b?.close(); await fx?.close(); });

const ui = (page, fn, arg) => page.evaluate(([f, a]) => new Function('root', 'arg', f)(document.querySelector('replyguard-ui').shadowRoot, a), [fn, arg]);
const cardInfo = (page) => ui(page, `const c = root.querySelector('.card'); return c && { rule: c.dataset.rule, severity: c.dataset.severity, text: c.textContent, role: c.getAttribute('role'), buttons: [...c.querySelectorAll('button')].map((b) => b.textContent) };`);
const value = (page) => page.evaluate(() => document.querySelector('textarea').value);

async function hover(page, word) {
  const u = await until(async () => (await textareaUnderlines(page)).out.find((x) => x.word === word), { what: `underline on ${word}` });
  const r = u.rects[0];
  await page.mouse.move(r.l + r.w / 2, r.t + r.h / 2);
}

test('hover opens a card naming the rule; the fix changes the text and Ctrl+Z restores it', async () => {
  const page = await openFixture(b.context, `/messaging/inbox/thread?orderId=${ORDER}`);
  const text = 'Your parcel will definately arrive by Friday.';
  await page.click('textarea');
  await page.keyboard.insertText(text);
  await hover(page, 'definately');
  const card = await until(() => cardInfo(page), { what: 'card' });
  assert.equal(card.rule, 'misspelling');
  assert.equal(card.severity, 'warning');
  assert.equal(card.role, 'dialog');
  assert.match(card.text, /misspelling/);
  assert.ok(card.buttons.some((t) => /definitely/.test(t)), `fix button offered: ${card.buttons}`);
  assert.ok(card.buttons.includes('Ignore here'));
  await ui(page, `root.querySelector('.card button.fix').click()`);
  assert.equal(await value(page), 'Your parcel will definitely arrive by Friday.');
  // Undo goes through the browser's own stack because the fix used insertText.
  await page.click('textarea', { position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  assert.equal(await value(page), text);
  await page.keyboard.press('Control+Shift+z');
  assert.equal(await value(page), 'Your parcel will definitely arrive by Friday.');
  await page.close();
});

test('contenteditable: the card fix goes through the editor and Ctrl+Z restores it', async () => {
  const page = await openFixture(b.context, `/messaging/inbox/rich?orderId=${ORDER}`);
  await page.click('[contenteditable]');
  await page.keyboard.type('It will definately arrive soon.', { delay: 0 });
  await until(() => page.evaluate(() => CSS.highlights.get('replyguard-warning')?.size > 0), { what: 'highlight' });
  // Hover the highlighted word: its rect comes from a Range over the same text.
  const r = await page.evaluate(() => { const n = document.querySelector('[contenteditable]').firstChild; const i = n.data.indexOf('definately'); const rg = document.createRange(); rg.setStart(n, i); rg.setEnd(n, i + 10); const b = rg.getBoundingClientRect(); return { x: b.left + b.width / 2, y: b.top + b.height / 2 }; });
  await page.mouse.move(r.x, r.y);
  const card = await until(() => cardInfo(page), { what: 'card' });
  assert.equal(card.rule, 'misspelling');
  await ui(page, `root.querySelector('.card button.fix').click()`);
  const text = () => page.evaluate(() => document.querySelector('[contenteditable]').innerText);
  assert.equal(await text(), 'It will definitely arrive soon.');
  await page.keyboard.press('Control+z');
  assert.equal(await text(), 'It will definately arrive soon.');
  await page.close();
});

test('keyboard: caret in a flagged word shows its card, Alt+Enter focuses it, Escape returns to the editor', async () => {
  const page = await openFixture(b.context, `/messaging/inbox/thread?orderId=${ORDER}`);
  await page.click('textarea');
  await page.keyboard.insertText('Please leave a positive review for us.');
  await until(async () => (await textareaUnderlines(page)).out.length > 0, { what: 'underline' });
  await page.evaluate(() => { const t = document.querySelector('textarea'); t.setSelectionRange(18, 18); });
  await page.keyboard.press('ArrowRight');
  const card = await until(() => cardInfo(page), { what: 'card from caret' });
  assert.equal(card.rule, 'review-manipulation');
  await page.keyboard.press('Alt+Enter');
  const focused = await ui(page, `return root.activeElement && root.activeElement.closest('.card') ? root.activeElement.textContent : null`);
  assert.ok(focused, 'focus moved into the card');
  await page.keyboard.press('Enter'); // activates the fix (first button)
  assert.equal(await value(page), 'Please leave a review for us.');
  // The status chip is announced to screen readers and reachable as a button.
  const chip = await ui(page, `const c = root.querySelector('.chip .status'); return { tag: c.tagName, tab: c.tabIndex, label: c.getAttribute('aria-label') }`);
  assert.equal(chip.tag, 'BUTTON');
  assert.equal(chip.tab, 0);
  await until(async () => /clean/.test((await ui(page, `return root.querySelector('.chip .status').getAttribute('aria-label')`)) ?? ''), { what: 'chip clean' });
  // A live region announces changes for screen readers.
  assert.equal(await ui(page, `return root.querySelector('[aria-live=polite]').getAttribute('role')`), 'status');
  await page.close();
});

test('"ignore here" hides that finding in this reply only', async () => {
  const page = await openFixture(b.context, `/messaging/inbox/thread?orderId=${ORDER}`);
  await page.click('textarea');
  await page.keyboard.insertText('See www.example.com and www.other-shop.com');
  await until(async () => (await textareaUnderlines(page)).out.length === 2, { what: 'two underlines' });
  await hover(page, 'www.example.com');
  await until(() => cardInfo(page), { what: 'card' });
  await ui(page, `[...root.querySelectorAll('.card button')].find((b) => b.textContent === 'Ignore here').click()`);
  const words = (await textareaUnderlines(page)).out.map((u) => u.word);
  assert.deepEqual(words, ['www.other-shop.com']);
  await page.keyboard.press('End');
  await page.keyboard.insertText(' thanks');
  await page.waitForTimeout(300);
  assert.deepEqual((await textareaUnderlines(page)).out.map((u) => u.word), ['www.other-shop.com'], 'stays ignored after more typing');
  assert.match(await ui(page, `return root.querySelector('.chip .label').textContent`), /^1 error$/);
  await page.close();
});

test('send guard: errors ask first; "Send anyway" sends; the guard can be turned off', async () => {
  const page = await openFixture(b.context, `/messaging/inbox/thread?orderId=${ORDER}`);
  await page.click('textarea');
  await page.keyboard.insertText('Email me at bob@example.com');
  await until(async () => (await textareaUnderlines(page)).out.length > 0, { what: 'underline' });
  await page.click('[data-test-id="reply-send-button"]');
  const dlg = await until(() => ui(page, `const d = root.querySelector('.dialog'); return d && { role: d.getAttribute('role'), text: d.textContent }`), { what: 'guard dialog' });
  assert.equal(dlg.role, 'alertdialog');
  assert.match(dlg.text, /bob@example\.com/);
  assert.deepEqual(await page.evaluate(() => window.sentMessages), [], 'nothing sent yet');
  await ui(page, `root.querySelector('.dialog button.send-anyway').click()`);
  await until(() => page.evaluate(() => window.sentMessages.length === 1), { what: 'sent after confirmation' });
  await page.close();

  // Turned off in settings: no dialog.
  await b.worker.evaluate(() => chrome.storage.local.set({ settings: { sendGuard: false, disabledRules: [], companionAddress: '127.0.0.1:1' } }));
  const p2 = await openFixture(b.context, `/messaging/inbox/thread?orderId=${ORDER}`);
  await p2.click('textarea');
  await p2.keyboard.insertText('Email me at bob@example.com');
  await until(async () => (await textareaUnderlines(p2)).out.length > 0, { what: 'underline' });
  await p2.click('[data-test-id="reply-send-button"]');
  await until(() => p2.evaluate(() => window.sentMessages.length === 1), { what: 'sent without dialog' });
  assert.equal(await ui(p2, `return !!root.querySelector('.dialog')`), false);
  // Per-rule switch: email-address off removes its underline.
  await b.worker.evaluate(() => chrome.storage.local.set({ settings: { sendGuard: true, disabledRules: ['email-address'], companionAddress: '127.0.0.1:1' } }));
  await until(async () => (await textareaUnderlines(p2)).out.length === 0, { what: 'rule switched off' });
  await b.worker.evaluate(() => chrome.storage.local.remove('settings'));
  await p2.close();
});

test('template picker: scenario first, order id and buyer name filled, Tab walks the blanks (companion down: built-ins)', async () => {
  const page = await openFixture(b.context, `/messaging/contact?orderID=${ORDER}&marketplaceID=ATVPDKIKX0DER`);
  await page.locator('kat-textarea textarea').click();
  await page.keyboard.press('Alt+Shift+T');
  const items = await until(() => ui(page, `const p = root.querySelector('.picker'); return p && [...p.querySelectorAll('li[data-id]')].map((li) => li.dataset.id)`), { what: 'picker' });
  assert.ok(items.length >= 30, `built-in templates listed: ${items.length}`);
  await page.keyboard.type('not received', { delay: 0 });
  const filtered = await ui(page, `return [...root.querySelectorAll('.picker li[data-id]')].map((li) => li.dataset.id)`);
  assert.ok(filtered.length >= 1 && filtered.length < items.length, `search narrows: ${filtered}`);
  await page.keyboard.press('Enter');
  const v = await until(async () => { const x = await page.evaluate(() => document.querySelector('kat-textarea').value); return x.length > 20 && x; }, { what: 'template inserted' });
  assert.ok(v.includes(ORDER) || !v.includes('[Order ID]'), 'order id filled');
  assert.ok(!v.includes('[Buyer first name]'), 'buyer name filled');
  // Rendered as the Go renderer does: no {placeholder} left, blanks as [Label].
  assert.ok(!/\{[a-z_0-9]+\}/.test(v), `no raw placeholders: ${v}`);
  assert.match(v, /Jane/);
  // The page's component saw a real input event (it tracks the length on input).
  assert.equal(await page.evaluate(() => document.querySelector('kat-textarea').getAttribute('value-length')), String(v.length));
  const sel = await page.evaluate(() => { const t = document.querySelector('kat-textarea').shadowRoot.querySelector('textarea'); return t.value.slice(t.selectionStart, t.selectionEnd); });
  assert.match(sel, /^\[[A-Z][^\]\n]*\]$/, `first blank selected: ${sel}`);
  const holes = v.match(/\[[A-Z][^\]\n]*\]/g) ?? [];
  if (holes.length > 1) {
    await page.keyboard.press('Tab');
    const sel2 = await page.evaluate(() => { const t = document.querySelector('kat-textarea').shadowRoot.querySelector('textarea'); return t.value.slice(t.selectionStart, t.selectionEnd); });
    assert.equal(sel2, holes[1]);
  }
  // Typing replaces the selected blank.
  await page.keyboard.insertText('Oakridge');
  assert.ok(!(await page.evaluate(() => document.querySelector('kat-textarea').value)).includes(holes[holes.length > 1 ? 1 : 0]));
  await page.close();
});

test('template picker puts the buyer message scenario first', async () => {
  const page = await openFixture(b.context, `/messaging/inbox/thread?orderId=${ORDER}`);
  await page.click('textarea');
  await ui(page, `root.querySelector('.chip .tpl').click()`);
  const first = await until(() => ui(page, `const li = root.querySelector('.picker li[data-id]'); return li && { id: li.dataset.id, scenarios: li.dataset.scenarios, badge: !!li.querySelector('.badge') }`), { what: 'picker' });
  assert.ok(first.badge, 'first entry is marked as matching the buyer message');
  // "Where is my package?": policy.wasm classifies it where-is-order (or not-received).
  assert.match(first.scenarios, /^(where-is-order|not-received)\b/, `${first.id} is made for the buyer's scenario: ${first.scenarios}`);
  await page.keyboard.press('Enter');
  const v = await until(async () => { const x = await page.evaluate(() => document.querySelector('textarea').value); return x.length > 20 && x; }, { what: 'inserted' });
  assert.match(v, /Maria/);
  await page.close();
});
