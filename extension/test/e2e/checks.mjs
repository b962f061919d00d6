// In-page checks shared by the e2e tests (they run in the page's main world).

/**
 * underlines returns each drawn underline of a textarea mirror with a
 * hit-test: the points just inside the left and right ends of each of its
 * rects, mapped back to text offsets by the browser's own
 * caretPositionFromPoint on the real textarea. An underline on the right
 * words maps to offsets inside the flagged span.
 */
export async function textareaUnderlines(page) {
  return page.evaluate(() => {
    const ui = document.querySelector('replyguard-ui').shadowRoot;
    const kat = document.querySelector('kat-textarea');
    const ta = kat ? kat.shadowRoot.querySelector('textarea') : document.querySelector('textarea');
    const value = ta.value;
    const out = [];
    for (const sp of ui.querySelectorAll('.rg-u')) {
      const word = sp.textContent;
      const hits = [];
      for (const r of sp.getClientRects()) {
        const y = r.top + r.height / 2;
        for (const x of [r.left + 2, r.right - 2]) {
          const p = document.caretPositionFromPoint(x, y, kat ? { shadowRoots: [kat.shadowRoot] } : undefined);
          hits.push({ node: p?.offsetNode === ta ? 'textarea' : p?.offsetNode?.nodeName, offset: p?.offset });
        }
      }
      out.push({ word, cls: sp.className, hits, rects: [...sp.getClientRects()].map((r) => ({ l: r.left, t: r.top, w: r.width, h: r.height })) });
    }
    return { value, out };
  });
}

/** Asserts every underline's hit-test lands inside one occurrence of its word. */
export function assertOnWords(assert, { value, out }, words) {
  assert.deepEqual(out.map((u) => u.word).filter((w) => words.includes(w)).sort(), [...words].sort(), `underlined words: ${JSON.stringify(out.map((u) => u.word))}`);
  for (const u of out) {
    if (!words.includes(u.word)) continue;
    assert.ok(u.hits.length >= 2, `${u.word}: has rects`);
    const starts = [];
    for (let i = value.indexOf(u.word); i >= 0; i = value.indexOf(u.word, i + 1)) starts.push(i);
    for (const h of u.hits) {
      assert.equal(h.node, 'textarea', `${u.word}: hit lands on the textarea`);
      assert.ok(starts.some((s) => h.offset >= s && h.offset <= s + u.word.length), `${u.word}: hit offset ${h.offset} inside one of ${starts} (+${u.word.length})`);
    }
  }
}

export async function typeInto(page, selector, text) {
  await page.click(selector);
  await page.keyboard.insertText(text);
}

export async function lintsSettled(page, min = 1) {
  // Wait for a fresh lint result after the last input: lints counter grows and then stays still.
  let last = -1;
  for (let i = 0; i < 100; i++) {
    const n = await page.evaluate(() => Number(document.querySelector('replyguard-ui')?.dataset.lints ?? 0));
    if (n >= min && n === last) return n;
    last = n;
    await page.waitForTimeout(60);
  }
  return last;
}
