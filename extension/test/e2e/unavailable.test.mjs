// A broken install (policy.wasm missing) says so on the status chip instead
// of calling an unchecked reply "clean".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { launch, openFixture, root, startFixtures, tmp, ORDER, until } from './harness.mjs';

test('without policy.wasm the chip reads "checks unavailable"', async () => {
  const dir = tmp();
  const ext = join(dir, 'dist');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--allow-missing'], { env: { ...process.env, EXT_DIST: ext, POLICY_WASM: join(dir, 'absent.wasm') }, stdio: 'ignore' });
  const fx = await startFixtures(dir);
  const b = await launch({ fixturePort: fx.port, dir, ext });
  try {
    const page = await openFixture(b.context, `/messaging/inbox/thread?orderId=${ORDER}`);
    await page.click('textarea');
    await page.keyboard.insertText('Email bob@example.com');
    const chip = await until(() => page.evaluate(() => {
      const c = document.querySelector('replyguard-ui').shadowRoot.querySelector('.chip');
      return c.dataset.state === 'unavailable' && { label: c.querySelector('.label').textContent, aria: c.querySelector('.status').getAttribute('aria-label') };
    }), { what: 'unavailable chip' });
    assert.equal(chip.label, 'checks unavailable');
    assert.match(chip.aria, /policy\.wasm/);
  } finally {
    await b.close();
    await fx.close();
  }
});
