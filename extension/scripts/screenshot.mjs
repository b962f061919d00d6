// Regenerates docs/screenshot-extension.png: the extension in use on a
// Seller Central-shaped Contact Buyer page (underlines, status chip, a card).
//   node scripts/screenshot.mjs [out.png]
import { launch, openFixture, startFixtures, tmp, repo } from '../test/e2e/harness.mjs';
import { join } from 'node:path';

const out = process.argv[2] ?? join(repo, 'docs', 'screenshot-extension.png');
const dir = tmp();
const fx = await startFixtures(dir);
const b = await launch({ fixturePort: fx.port, dir });
try {
  const page = await openFixture(b.context, '/messaging/contact?orderID=111-2222222-3333333&marketplaceID=ATVPDKIKX0DER');
  await page.setViewportSize({ width: 1000, height: 660 });
  await page.evaluate(() => { document.querySelector('kat-textarea').shadowRoot.querySelector('textarea').style.height = '250px'; });
  await page.locator('kat-textarea textarea').click();
  await page.keyboard.insertText('Hello Jane,\n\nThank you for your order 111-2222222-3333333! Your parcel will definately arrive on Friday. '
    + 'If anything is wrong, email us at help@oakridge-home.com so we can sort it out faster.\n\nIf you are happy, please leave a positive review!\n\nBest regards,\nOakridge Home');
  const u = await page.waitForFunction(() => {
    const s = [...document.querySelector('replyguard-ui').shadowRoot.querySelectorAll('.rg-u')].find((x) => x.textContent === 'help@oakridge-home.com');
    if (!s) return null;
    const r = s.getClientRects()[0];
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  }, null, { timeout: 15000 });
  const p = await u.jsonValue();
  await page.mouse.move(p.x, p.y);
  await page.waitForFunction(() => document.querySelector('replyguard-ui').shadowRoot.querySelector('.card'));
  await page.waitForTimeout(200);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await b.close();
  await fx.close();
}
