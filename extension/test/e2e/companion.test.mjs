// The companion link end to end: pairing through the options page, buyer
// messages reported (deadline, badge, popup), Send recorded in the real
// companion, and replies made while it is stopped delivered after restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { extensionPage, freePort, launch, openFixture, pairingCode, startCompanion, startFixtures, tmp, until } from './harness.mjs';
import { join } from 'node:path';

let dir, fx, b, comp, port, data;
before(async () => {
  dir = tmp(); data = join(dir, 'companion'); port = await freePort();
  fx = await startFixtures(dir);
  comp = await startCompanion({ port, data });
  b = await launch({ fixturePort: fx.port, dir });
});
after(async () => { await b?.close(); await comp?.stop(); await fx?.close(); });

const sw = (fn, arg) => b.worker.evaluate(fn, arg);
const outbox = () => sw(async () => (await chrome.storage.local.get('outbox')).outbox ?? []);
const rejected = () => sw(async () => (await chrome.storage.local.get('outbox_rejected')).outbox_rejected ?? []);
/** Ask the companion over the extension's own authenticated connection. */
const ask = (type, payload) => sw(([t, p]) => globalThis.replyguard.client.request(t, p), [type, payload]);

test('pairing through the options page connects the extension', async () => {
  const opts = await extensionPage(b.context, 'options.html');
  await opts.fill('#address', `127.0.0.1:${port}`);
  await opts.dispatchEvent('#address', 'change');
  await opts.fill('#code', await pairingCode(port));
  await opts.click('#pair');
  await until(async () => (await opts.textContent('#msg')) === 'Paired.', { what: 'paired', timeout: 15000 });
  await until(async () => (await opts.textContent('#state')) === 'connected', { what: 'connected state' });
  const st = await (await fetch(`http://127.0.0.1:${port}/api/status`)).json();
  assert.ok(st.clients_connected >= 1, 'the companion sees the connection');
  // Per-rule switches list the policy catalog and save to settings.
  assert.ok(await opts.locator('#rules input[type=checkbox]').count() >= 28);
  await opts.uncheck('#rules input[data-rule="shouting"]');
  await until(async () => (await sw(async () => (await chrome.storage.local.get('settings')).settings?.disabledRules ?? [])).includes('shouting'), { what: 'rule off saved' });
  await opts.check('#rules input[data-rule="shouting"]');
  await until(async () => !(await sw(async () => (await chrome.storage.local.get('settings')).settings?.disabledRules ?? [])).includes('shouting'), { what: 'rule on saved' });
  await opts.uncheck('#guard');
  await until(async () => (await sw(async () => (await chrome.storage.local.get('settings')).settings?.sendGuard)) === false, { what: 'guard off saved' });
  await opts.check('#guard');
  await opts.close();
});

test('templates come from the companion when it is connected', async () => {
  const { templates, source } = await sw(() => globalThis.replyguard.listTemplates());
  assert.equal(source, 'companion');
  assert.ok(templates.length >= 30, `${templates.length} templates`);
  assert.ok(templates.every((t) => t.body), 'built-in bodies available for insertion');
  const page = await openFixture(b.context, '/messaging/inbox/thread?orderId=555-6666666-7777777');
  await page.click('textarea');
  await page.keyboard.press('Alt+Shift+T');
  await until(() => page.evaluate(() => document.querySelector('replyguard-ui').shadowRoot.querySelectorAll('.picker li[data-id]').length >= 30), { what: 'picker from companion' });
  await page.keyboard.press('Enter');
  await until(async () => (await page.evaluate(() => document.querySelector('textarea').value)).includes('Maria'), { what: 'inserted' });
  await page.close();
});

test('a buyer message awaiting reply starts its deadline; badge and popup show it; Send records the reply', async () => {
  const order = '222-3333333-4444444';
  const page = await openFixture(b.context, `/messaging/inbox/thread?orderId=${order}&receivedHoursAgo=21`);
  const dl = await until(async () => ((await ask('deadlines.list', { state: 'open' })).deadlines ?? []).find((d) => d.order_id === order), { what: 'deadline in companion' });
  const left = Date.parse(dl.due_at) - Date.now();
  assert.ok(left > 2.5 * 3600e3 && left < 3.5 * 3600e3, `due in ~3 h: ${dl.due_at}`);
  const badge = () => sw(() => chrome.action.getBadgeText({}));
  await until(async () => (await badge()) === '1', { what: 'badge 1' }).catch(async (e) => {
    throw new Error(`${e.message}; badge ${JSON.stringify(await badge())}, state ${JSON.stringify(await sw(() => chrome.storage.local.get(['deadlines', 'deadlines_remote', 'deadlines_local'])))}`);
  });
  const popup = await extensionPage(b.context, 'popup.html');
  await until(async () => (await popup.textContent('#due')).includes(order), { what: 'popup lists the order' });
  assert.match(await popup.textContent('#due'), /\d+ h \d+ min left/);
  await popup.close();

  await page.click('textarea');
  await page.keyboard.insertText('Hello Maria, thank you for your patience. Your parcel is with the carrier and should arrive within two days.');
  await page.click('[data-test-id="reply-send-button"]');
  await until(async () => (await page.textContent('#alerts')).includes('Your message has been sent'), { what: 'sent' });
  // Delivered: the outbox drains only on the companion's durable ack.
  await until(async () => (await outbox()).length === 0 && (await sw(async () => (await chrome.storage.local.get('deadlines')).deadlines ?? [])).every((d) => d.order_id !== order), { what: 'reply delivered' });
  assert.deepEqual(await rejected(), [], 'the companion accepted every message');
  const all = (await ask('deadlines.list', { state: 'all', order_id: order })).deadlines;
  assert.equal(all[0].state, 'resolved');
  assert.equal(all[0].resolution, 'replied');
  await until(async () => (await sw(() => chrome.action.getBadgeText({}))) === '', { what: 'badge cleared' });
  await page.close();
});

test('replies sent while the companion is stopped are delivered after it restarts', async () => {
  await comp.stop();
  await until(async () => (await sw(() => globalThis.replyguard.client.state)) === 'offline', { what: 'offline' });
  // A buyer message seen while it is down: its deadline must reach the companion later.
  const seenOrder = '666-7777777-8888888';
  const thread = await openFixture(b.context, `/messaging/inbox/thread?orderId=${seenOrder}&receivedHoursAgo=2`);
  await until(async () => (await outbox()).some((e) => e.type === 'message.seen' && e.payload.order_id === seenOrder), { what: 'message.seen queued' });
  await thread.close();
  const order = '333-4444444-5555555';
  const page = await openFixture(b.context, `/messaging/contact?orderID=${order}&marketplaceID=ATVPDKIKX0DER`);
  await page.locator('kat-textarea textarea').click();
  const text = 'Hello Jane, we have shipped your order today. Thank you for shopping with us.';
  await page.keyboard.insertText(text);
  await page.locator('kat-button.ayb-contact-form-send-button').click();
  await page.locator('div[role=dialog] kat-button[label="Send"]').click();
  await until(async () => (await page.textContent('#alerts')).includes('Your message has been sent'), { what: 'sent in Seller Central' });
  const queued = await until(async () => (await outbox()).find((e) => e.payload.order_id === order), { what: 'queued' });
  assert.equal(queued.type, 'reply.record');
  assert.equal(queued.payload.text, text);
  // Worker restarts must not lose it either: it lives in chrome.storage.
  comp = await startCompanion({ port, data });
  await until(async () => (await outbox()).length === 0, { what: 'outbox drained after restart', timeout: 45000 });
  // The companion has it: re-recording the same reply id is a duplicate.
  assert.deepEqual(await rejected(), [], 'the companion accepted every message');
  const again = await ask('reply.record', queued.payload);
  assert.equal(again.duplicate, true);
  const dls = (await ask('deadlines.list', { state: 'open', order_id: seenOrder })).deadlines;
  assert.equal(dls.length, 1, 'deadline of the message seen while the companion was down');
  assert.ok(Math.abs(Date.parse(dls[0].due_at) - (Date.now() + 22 * 3600e3)) < 120e3, `due 24 h after the message: ${dls[0].due_at}`);
  await page.close();
});

test('a reply about to be late raises a notification', async () => {
  const order = '777-8888888-9999999';
  const page = await openFixture(b.context, `/messaging/inbox/thread?orderId=${order}&receivedHoursAgo=23.5`);
  const n = await until(async () => Object.keys(await sw(() => chrome.notifications.getAll())).find((k) => k.includes(order)), { what: 'notification' });
  assert.match(n, /^deadline\|777-8888888-9999999\|https:\/\/sellercentral\.amazon\.com\/messaging\/inbox\/thread/);
  await page.close();
});
