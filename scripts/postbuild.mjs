// After `tsc`: compile the WebAssembly kernels (src/**/*.wat → dist/src/**/*.wasm), make the CLI
// executable and expose it as node_modules/.bin/voidscope, so `npx voidscope …` runs this checkout's
// build right after `npm ci` in a fresh clone (npm links the bins of dependencies only, never the
// root package's own).
import { buildWasm } from './build-wasm.mjs';
import { chmodSync, mkdirSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await buildWasm();
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
chmodSync(cli, 0o755);
const binDir = join(root, 'node_modules', '.bin');
if (existsSync(join(root, 'node_modules'))) {
  mkdirSync(binDir, { recursive: true });
  const link = join(binDir, 'voidscope');
  rmSync(link, { force: true });
  symlinkSync(relative(binDir, cli), link);
}
