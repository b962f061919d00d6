// Bundles the local page's script (ui/main.ts and the extension modules it
// reuses) into ../assets/dist/app.js with the extension's esbuild.
//   node companion/internal/web/ui/build.mjs
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../../..');
const require = createRequire(join(repo, 'extension', 'package.json'));
let esbuild;
try {
  esbuild = require('esbuild');
} catch {
  console.error('web build: esbuild is missing; run `cd extension && npm ci` (make does this)');
  process.exit(1);
}
await esbuild.build({
  entryPoints: [join(here, 'main.ts')],
  outfile: join(here, '..', 'assets', 'dist', 'app.js'),
  bundle: true,
  format: 'iife',
  target: 'chrome116',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
