// End-to-end tests of the companion's local page in real Chromium against
// a real companion on a seeded data directory. Screenshots of each page go
// to docs/screenshots/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { rmSync } from 'node:fs';
import {
  EXTENSION_ID, SEARCH_WORD, THREAD_ORDER, launch, newPage, seed, shot, startCompanion, tmp, underlines, until, wsSession,
} from './harness.mjs';

let dir, comp, browser;

before(async () => {
  dir = tmp();
  seed(dir);
  comp = await startCompanion(dir);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await comp?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('pages', () => {
  const pages = [
    ['/', 'Dashboard', 'dashboard.png'],
    ['/history', 'History', 'history.png'],
    ['/templates', 'Templates', 'templates.png'],
    ['/templates/damaged-on-arrival', 'Damaged', 'template-editor.png'],
    ['/playground', 'Playground', 'playground.png'],
    ['/settings', 'Settings', 'settings.png'],
    [`/history/order/${THREAD_ORDER}`, `Order ${THREAD_ORDER}`, 'conversation.png'],
  ];
  for (const [path, heading, file] of pages) {
    test(`${path} renders without script errors or CSP violations`, async () => {
      const page = await newPage(browser);
      // Cumulative layout shift while the page loads and its script starts.
      await page.addInitScript(() => {
        window.__cls = 0;
        new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
          .observe({ type: 'layout-shift', buffered: true });
      });
      const res = await page.goto(comp.base + path);
      assert.equal(res.status(), 200);
      assert.match(res.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval';/);
      assert.match(await page.locator('h1').first().textContent(), new RegExp(heading));
      if (path === '/playground' || path.startsWith('/templates/')) {
        await until(() => page.evaluate(() => !!document.querySelector('replyguard-ui')), { what: 'the checker to start' });
        await until(async () => (await underlines(page)).length > 0 || path.startsWith('/templates/'), { what: 'underlines' });
      }
      if (path === '/playground') {
        // Hover "If you like": the extension's card opens under it.
        await page.setViewportSize({ width: 1280, height: 1000 });
        const r = await page.evaluate(() => {
          const sp = Array.from(document.querySelector('replyguard-ui').shadowRoot.querySelectorAll('.rg-u')).find((s) => s.textContent.includes('If you like'));
          const b = sp.getClientRects()[0];
          return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
        });
        await page.mouse.move(r.x, r.y);
        await until(() => page.evaluate(() => !!document.querySelector('replyguard-ui').shadowRoot.querySelector('.card')), { what: 'hover card' });
      }
      await page.waitForTimeout(150);
      const cls = await page.evaluate(() => window.__cls);
      assert.ok(cls < 0.02, `layout shift ${cls.toFixed(4)} on ${path}`);
      await shot(page, file, { full: file === 'dashboard.png' });
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }

  test('dashboard lists overdue and missed deadlines first with live countdowns and thread links', async () => {
    const page = await newPage(browser);
    await page.goto(comp.base + '/');
    const rows = await page.$$eval('.deadlines > li', (ls) => ls.map((l) => ({ cls: l.className, t: l.querySelector('time').textContent, href: l.querySelector('a').href })));
    assert.ok(rows.length >= 6, `deadlines: ${rows.length}`);
    assert.match(rows[0].cls, /dl-overdue/);
    assert.ok(rows.some((r) => /dl-missed/.test(r.cls)), 'a deadline missed while offline is marked');
    assert.match(await page.textContent('.deadlines'), /Missed while offline/);
    assert.match(rows[0].href, /^https:\/\/sellercentral\.amazon\.[a-z.]+\/messaging\/contact\?orderID=\d{3}-\d{7}-\d{7}$/);
    const before = await page.textContent('.dl-open time, .dl-due-soon time');
    await page.waitForTimeout(1200);
    assert.notEqual(await page.textContent('.dl-open time, .dl-due-soon time'), before, 'countdown ticks');
    // Figures for 7/30/90 days and a drawn chart.
    assert.equal(await page.locator('.figs tbody tr').count(), 3);
    assert.ok(await page.locator('svg.chart rect.bar').count() > 20);
    await page.context().close();
  });

  test('keyboard: skip link, nav, and a template inserted without the mouse', async () => {
    const page = await newPage(browser);
    await page.goto(comp.base + '/playground');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
    await page.keyboard.press('Tab');
    assert.match(await page.evaluate(() => document.activeElement.getAttribute('aria-label') ?? ''), /dashboard/);
    await until(async () => (await page.locator('#suggest button').count()) >= 1, { what: 'suggestions' });
    await page.locator('#suggest button').first().focus();
    await page.keyboard.press('Enter');
    await until(async () => (await page.inputValue('#reply')).startsWith('Hello Maria'), { what: 'inserted by keyboard' });
    const outline = await page.evaluate(() => { const b = document.querySelector('#send'); b.focus(); return getComputedStyle(b).outlineStyle; });
    assert.notEqual(outline, 'none', 'focus is visible');
    await page.context().close();
  });

  test('readable at 200% zoom: no horizontal scrolling', async () => {
    const page = await newPage(browser, { viewport: { width: 640, height: 900 }, deviceScaleFactor: 2 });
    for (const p of ['/', '/history', '/templates', '/playground', '/settings']) {
      await page.goto(comp.base + p);
      const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(over <= 1, `${p} overflows by ${over}px at 200%`);
    }
    await page.context().close();
  });
});

describe('history', () => {
  test('search as you type finds a reply by a word in it; the conversation exports', async () => {
    const page = await newPage(browser);
    await page.goto(comp.base + '/history');
    assert.ok(await page.locator('table.hist tbody tr').count() >= 50, 'first page is full');
    await page.locator('#q').pressSequentially(SEARCH_WORD, { delay: 20 });
    await until(async () => (await page.locator('table.hist tbody tr').count()) === 1, { what: 'one result' });
    assert.match(await page.textContent('table.hist tbody'), new RegExp(THREAD_ORDER));
    assert.match(page.url(), new RegExp(`q=${SEARCH_WORD}`));
    await page.locator('#q').fill('zzqx-no-such-word');
    await until(async () => /No replies match/.test(await page.textContent('#results')), { what: 'empty state' });
    await page.locator('#q').fill(SEARCH_WORD);
    await until(async () => (await page.locator('table.hist tbody tr').count()) === 1, { what: 'result again' });
    await page.click(`table.hist a[href="/history/order/${THREAD_ORDER}"]`);
    await page.waitForURL(/\/history\/order\//);
    assert.equal(await page.locator('.thread > li').count(), 4);
    assert.match(await page.textContent('.thread'), /email-address/);
    const r = await fetch(`${comp.base}/history/order/${THREAD_ORDER}/export.json`);
    assert.equal(r.status, 200);
    const x = await r.json();
    assert.equal(x.order_id, THREAD_ORDER);
    assert.deepEqual(x.messages.map((m) => m.from), ['buyer', 'seller', 'buyer', 'seller']);
    assert.ok(x.messages[1].findings_at_send.some((f) => f.rule === 'email-address'));
    const pr = await newPage(browser);
    await pr.goto(`${comp.base}/history/order/${THREAD_ORDER}/print`);
    assert.match(await pr.textContent('h1'), new RegExp(THREAD_ORDER));
    await shot(pr, 'conversation-print.png');
    await pr.context().close();
    await page.context().close();
  });

  test('filters: scenario and findings narrow the list', async () => {
    const page = await newPage(browser);
    await page.goto(comp.base + '/history');
    await page.selectOption('#findings', 'errors');
    await until(async () => page.url().includes('findings=errors'), { what: 'filter applied' });
    await until(async () => (await page.locator('table.hist tbody tr').count()) >= 1, { what: 'rows' });
    const pills = await page.$$eval('table.hist tbody tr td:last-child .pill', (ps) => ps.map((p) => p.className));
    assert.ok(pills.every((c) => c.includes('pill-bad')), pills.join());
    await page.context().close();
  });
});

describe('templates', () => {
  test('the editor underlines an email address with policy.wasm and saving is refused', async () => {
    const page = await newPage(browser);
    await page.goto(comp.base + '/templates/new');
    await page.fill('#title', 'Contact me directly');
    await page.locator('#body').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nWrite to me at jane.doe@example.com any time.');
    const u = await until(async () => (await underlines(page)).find((s) => s.text.includes('jane.doe@example.com')), { what: 'email underline' });
    assert.match(u.cls, /rg-error/);
    assert.match(await page.textContent('#lint-status'), /cannot be saved/);
    await page.waitForTimeout(300);
    await shot(page, 'template-editor-error.png');
    const [res] = await Promise.all([page.waitForNavigation(), page.click('#save')]);
    assert.equal(res.status(), 422);
    assert.match(await page.textContent('#save-problem'), /Not saved/);
    assert.match(await page.textContent('#save-problem'), /email-address/);
    assert.match(await page.inputValue('#body'), /jane\.doe@example\.com/, 'the text is kept');
    const list = await (await fetch(comp.base + '/templates')).text();
    assert.doesNotMatch(list, /Contact me directly/);
    // Remove the address: now it saves.
    const body = (await page.inputValue('#body')).replace('Write to me at jane.doe@example.com any time.', 'Reply here any time.');
    await page.fill('#body', body);
    const [ok] = await Promise.all([page.waitForNavigation(), page.click('#save')]);
    assert.equal(ok.status(), 200);
    assert.match(page.url(), /\/templates\/t-[0-9a-f]+\?done=created/);
    assert.match(await page.textContent('.banner.good'), /Template created/);
    await page.context().close();
  });

  test('list search, duplicate, delete and restore a built-in', async () => {
    const page = await newPage(browser);
    await page.goto(comp.base + '/templates');
    const all = await page.locator('#tlist > li:visible').count();
    await page.fill('#tsearch', 'vat invoice');
    await until(async () => (await page.locator('#tlist > li:visible').count()) < all, { what: 'filter' });
    await page.goto(comp.base + '/templates/thank-you-reply');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Duplicate")')]);
    assert.match(await page.inputValue('#title'), /^Copy of /);
    await page.goto(comp.base + '/templates/thank-you-reply');
    page.once('dialog', (d) => d.accept());
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Delete")')]);
    assert.match(await page.textContent('#del-h + ul'), /thank-you/i);
    await Promise.all([page.waitForNavigation(), page.click('#del-h + ul button')]);
    assert.match(page.url(), /\/templates\/thank-you-reply\?done=restored/);
    await page.context().close();
  });
});

describe('playground', () => {
  test('classifies the buyer message, highlights a violation, and its fix works', async () => {
    const page = await newPage(browser);
    await page.goto(comp.base + '/playground');
    await until(async () => (await page.textContent('#scenario-name')) !== '…', { what: 'classification' });
    assert.match(await page.textContent('#scenario-name'), /Damaged/);
    await until(async () => (await page.locator('#suggest button').count()) >= 1, { what: 'suggested templates' }).catch(async (e) => { throw new Error(e.message + ': ' + (await page.textContent('#scenario')) + ' / ' + (await page.textContent('#suggest')) + ' / ' + page.problems.join('; ')); });
    const u = await until(async () => (await underlines(page)).find((s) => s.text.includes('sales@shop-example.com')), { what: 'underline' });
    assert.match(u.cls, /rg-error/);
    await page.locator('#cards li[data-rule="email-address"]').waitFor();
    // One-click fix: "a 5-star review" -> "a review".
    const card = page.locator('#cards li[data-rule="review-manipulation"]:has(button.fixbtn)');
    await card.waitFor();
    await card.locator('button.fixbtn').click();
    await until(async () => !(await page.inputValue('#reply')).includes('5-star'), { what: 'fix applied' });
    assert.match(await page.inputValue('#reply'), /leave us a review/);
    await until(async () => !(await underlines(page)).some((s) => s.text.includes('5-star')), { what: 'underline gone' });
    await until(async () => (await page.locator('#cards li[data-rule="review-manipulation"]:has(button.fixbtn)').count()) === 0, { what: 'card gone' });
    // Undo brings the text back (the fix went through the editor's input path).
    await page.locator('#reply').focus();
    await page.keyboard.press('Control+z');
    await until(async () => (await page.inputValue('#reply')).includes('5-star'), { what: 'undo' });
    // A suggested template replaces the reply.
    await page.click('[data-example="0"]');
    await until(async () => /Where is my order|Not received/.test(await page.textContent('#scenario-name')), { what: 'new scenario' });
    await page.locator('#suggest button').first().click();
    await until(async () => (await page.inputValue('#reply')).startsWith('Hello Maria'), { what: 'template inserted' });
    await page.context().close();
  });
});

describe('settings', () => {
  test('pairing issues a code that the websocket accepts once; revoke removes the browser', async () => {
    const page = await newPage(browser);
    await page.goto(comp.base + '/settings');
    await page.click('#pair-new');
    const code = await until(async () => { const t = (await page.textContent('#pair-code')).trim(); return /^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(t) && t; }, { what: 'a code' });
    await shot(page, 'settings-pairing.png');
    const origin = `chrome-extension://${EXTENSION_ID}`;
    const ws = await wsSession(comp.port, origin);
    assert.equal((await ws.next()).type, 'hello');
    ws.send({ v: 1, id: 'p1', type: 'pair', payload: { code, name: 'Chromium e2e' } });
    const ok = await ws.next();
    assert.equal(ok.type, 'pair.ok', JSON.stringify(ok));
    assert.match(ok.payload.token, /^rgc1\./);
    ws.close();
    const again = await wsSession(comp.port, origin);
    assert.equal((await again.next()).type, 'hello');
    again.send({ v: 1, id: 'p2', type: 'pair', payload: { code, name: 'Second try' } });
    const no = await again.next();
    assert.equal(no.type, 'error');
    assert.equal(no.error.code, 'unauthorized');
    again.close();
    await page.reload();
    assert.match(await page.textContent('#clients'), /Chromium e2e/);
    page.once('dialog', (d) => d.accept());
    await page.click('#clients button.revoke');
    await until(async () => (await page.locator('#clients-empty, p.empty').count()) > 0, { what: 'revoked' });
    await page.reload();
    assert.equal(await page.locator('#clients').count(), 0);
    await page.context().close();
  });

  test('a cross-site form post is refused and changes nothing', async () => {
    // evil.example's page (another origin) auto-posts to the companion.
    const evil = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<form id=f method=post action="${comp.base}/settings/retention"><input name=days value=1></form><script>f.submit()</script>`);
    });
    await new Promise((ok) => evil.listen(0, '127.0.0.1', ok));
    const page = await newPage(browser);
    const done = page.waitForResponse((r) => r.url().startsWith(comp.base));
    await page.goto(`http://localhost:${evil.address().port}/`);
    const res = await done;
    assert.equal(res.status(), 403);
    await page.context().close();
    evil.close();
    const s = await (await fetch(comp.base + '/settings')).text();
    assert.match(s, /name="days"[^>]*value="30"/);
  });
});
