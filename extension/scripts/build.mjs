// Builds the unpacked extension into dist/ (load it with --load-extension=dist
// or chrome://extensions "Load unpacked") and, with --tests, bundles the unit
// tests for `node --test`.
//
//   node scripts/build.mjs [--tests] [--allow-missing]
//
// Inputs besides src/: ../wasm/artifact/policy.wasm (from `make wasm`) and the
// built-in templates printed by `../bin/replyguard templates list --format json`
// (bundled so templates work while the companion is down). --allow-missing
// builds without them (with a warning) for quick UI work only.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(root, '..');
const dist = process.env.EXT_DIST ? resolve(process.env.EXT_DIST) : join(root, 'dist');
const args = new Set(process.argv.slice(2));
const allowMissing = args.has('--allow-missing');

function fail(msg) {
  console.error(`build: ${msg}`);
  process.exit(1);
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'icons'), { recursive: true });

// POLICY_LOADER=/path/loader.js swaps in another policy loader (debugging a
// loader change without touching src/policy/, which another engineer owns).
const loaderOverride = process.env.POLICY_LOADER ? [{
  name: 'policy-loader-override',
  setup(b) { b.onResolve({ filter: /policy\/loader\.js$/ }, () => ({ path: resolve(process.env.POLICY_LOADER) })); },
}] : [];

await esbuild.build({
  absWorkingDir: root,
  plugins: loaderOverride,
  entryPoints: {
    content: 'src/content/main.ts',
    background: 'src/background/sw.ts',
    offscreen: 'src/offscreen/offscreen.ts',
    popup: 'src/popup/popup.ts',
    options: 'src/options/options.ts',
  },
  outdir: dist,
  bundle: true,
  format: 'iife',
  target: 'chrome116',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});

cpSync(join(root, 'manifest.json'), join(dist, 'manifest.json'));
// One stylesheet for the popup and the options page.
cpSync(join(root, 'src', 'shared', 'pages.css'), join(dist, 'pages.css'));
for (const dir of ['popup', 'options', 'offscreen']) {
  for (const f of readdirSync(join(root, 'src', dir))) {
    if (f.endsWith('.html') || f.endsWith('.css')) cpSync(join(root, 'src', dir, f), join(dist, f));
  }
}

// policy.wasm: the same artifact the companion runs.
const wasm = process.env.POLICY_WASM || join(repo, 'wasm', 'artifact', 'policy.wasm');
if (existsSync(wasm)) cpSync(wasm, join(dist, 'policy.wasm'));
else if (allowMissing) console.warn(`build: warning: ${wasm} missing (run make wasm); linting disabled in this build`);
else fail(`${wasm} missing: run \`make wasm\` first`);

// Built-in templates, straight from the companion's embedded library.
const bin = process.env.REPLYGUARD_BIN || join(repo, 'bin', 'replyguard');
let templates = null;
if (existsSync(bin)) {
  try {
    templates = JSON.parse(execFileSync(bin, ['templates', 'list', '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (e) {
    // A companion built before the templates command existed: build, but say so loudly.
    if (/unknown command "templates"/.test(String(e.stderr ?? ''))) console.warn(`build: WARNING: ${bin} has no "templates" command yet; no built-in templates bundled`);
    else if (!allowMissing) fail(`${bin} templates list --format json failed: ${e.stderr || e.message}`);
  }
} else if (!allowMissing) fail(`${bin} missing: run \`make build\` (or pass --allow-missing)`);
if (templates === null) console.warn('build: warning: no built-in templates bundled');
writeFileSync(join(dist, 'templates.json'), JSON.stringify(templates ?? []));

// Icons: a rounded shield-blue square with a white check, drawn here so the
// repo holds no binary assets.
for (const size of [16, 48, 128]) writeFileSync(join(dist, 'icons', `${size}.png`), icon(size));

if (args.has('--tests')) {
  const out = join(root, 'node_modules', '.cache', 'rg-test');
  rmSync(out, { recursive: true, force: true });
  const entries = readdirSync(join(root, 'test', 'unit')).filter((f) => f.endsWith('.test.ts')).map((f) => join('test', 'unit', f));
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir: out,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    external: ['node:*'],
    logLevel: 'warning',
  });
}

function icon(n) {
  const px = Buffer.alloc(n * (n * 4 + 1));
  const r = n * 0.2;
  for (let y = 0; y < n; y++) {
    px[y * (n * 4 + 1)] = 0;
    for (let x = 0; x < n; x++) {
      const i = y * (n * 4 + 1) + 1 + x * 4;
      const dx = Math.max(r - x, x - (n - 1 - r), 0), dy = Math.max(r - y, y - (n - 1 - r), 0);
      const inside = dx * dx + dy * dy <= r * r;
      // check mark: two strokes
      const u = x / n, v = y / n;
      const d1 = Math.abs(v - (0.55 + (u - 0.28))) < 0.09 && u > 0.22 && u < 0.45;
      const d2 = Math.abs(v - (0.72 - (u - 0.42) * 1.2)) < 0.09 && u >= 0.4 && u < 0.8;
      const white = d1 || d2;
      px[i] = white ? 255 : 0x23; px[i + 1] = white ? 255 : 0x5b; px[i + 2] = white ? 255 : 0xd9; px[i + 3] = inside ? 255 : 0;
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(n, 0); ihdr.writeUInt32BE(n, 4); ihdr[8] = 8; ihdr[9] = 6;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(px)), chunk('IEND', Buffer.alloc(0))]);
}
function crc32(buf) {
  let c = ~0;
  for (const b of buf) { c ^= b; for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1)); }
  return ~c;
}
