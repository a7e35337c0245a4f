// Compile every src/**/*.wat to dist/src/**/*.wasm with wabt (the WebAssembly Binary Toolkit, as an npm
// package: no native toolchain needed). Run by postbuild.mjs after tsc; the .wat text is the source of
// truth and no binary is committed.
import { readdirSync, readFileSync, mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function* watFiles(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* watFiles(p);
    else if (e.name.endsWith('.wat')) yield p;
  }
}

export async function buildWasm() {
  const { default: initWabt } = await import('wabt');
  const wabt = await initWabt();
  const built = [];
  for (const file of watFiles(join(root, 'src'))) {
    const rel = relative(root, file);
    let mod;
    try {
      mod = wabt.parseWat(rel, readFileSync(file, 'utf8'), { simd: true, bulk_memory: true, sat_float_to_int: true });
      mod.validate();
    } catch (e) {
      throw new Error(`${rel}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const { buffer } = mod.toBinary({});
    mod.destroy();
    const out = join(root, 'dist', rel.replace(/\.wat$/u, '.wasm'));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out + '.tmp', buffer);
    renameSync(out + '.tmp', out);
    built.push(relative(root, out));
  }
  return built;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const f of await buildWasm()) process.stdout.write(`built ${f}\n`);
}
