/**
 * The one place voidscope imports TensorFlow.js (by dynamic import, so nothing loads it unless a
 * model is trained). Backends are tried in order:
 *   1. `@tensorflow/tfjs-node` (native TensorFlow) — only if the user installed it: it is not a
 *      dependency of voidscope (its installer downloads a native library, which fails where the
 *      network is closed); `npm install @tensorflow/tfjs-node` opts in;
 *   2. `@tensorflow/tfjs-backend-wasm` (the WebAssembly binary ships inside the npm package);
 *   3. `@tensorflow/tfjs-backend-cpu` (plain JavaScript).
 * `VOIDSCOPE_TF_BACKEND=node|wasm|cpu` (or the `prefer` argument) asks for one; a backend that cannot
 * load falls through to the next one. The backend actually used is returned and recorded in every model.
 */
import { VoidscopeError } from '../../errors.js';

export type TfModule = typeof import('@tensorflow/tfjs-core');
export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';
export interface TfHandle {
  tf: TfModule;
  /** tf.getBackend(): 'tensorflow' (tfjs-node), 'wasm' or 'cpu'. */
  backend: TfBackendName;
  /** TensorFlow.js version (tfjs-core). */
  version: string;
}

const ORDER = ['node', 'wasm', 'cpu'] as const;
export type TfPreference = (typeof ORDER)[number];

let cached: Promise<TfHandle> | null = null;
let cachedFor: string | null = null;

/** Run f with console.log/warn silenced (tfjs prints a "install our node backend" banner). */
async function quietly<T>(f: () => Promise<T>): Promise<T> {
  const { log, warn } = console;
  console.log = () => undefined;
  console.warn = () => undefined;
  try {
    return await f();
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

async function tryBackend(which: TfPreference): Promise<TfHandle | null> {
  try {
    if (which === 'node') {
      // Not a declared dependency: the name is held in a variable so the compiler does not look for it.
      const name = '@tensorflow/tfjs-node';
      const tf = (await import(name)) as TfModule;
      await tf.ready();
      return { tf, backend: 'tensorflow', version: tf.version_core };
    }
    const tf = await import('@tensorflow/tfjs-core');
    if (which === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
    else await import('@tensorflow/tfjs-backend-cpu');
    const ok = await quietly(async () => {
      const set = await tf.setBackend(which);
      await tf.ready();
      return set;
    });
    if (!ok || tf.getBackend() !== which) return null;
    return { tf, backend: which, version: tf.version_core };
  } catch {
    return null;
  }
}

/**
 * Load TensorFlow.js with the best backend available (see the module comment). Cached per process
 * for one preference.
 */
export function loadTf(prefer?: TfPreference): Promise<TfHandle> {
  const env = process.env['VOIDSCOPE_TF_BACKEND'];
  const want = prefer ?? (env === 'node' || env === 'wasm' || env === 'cpu' ? env : undefined);
  if (env !== undefined && env !== '' && want === undefined) {
    throw new VoidscopeError('EOPTION', `VOIDSCOPE_TF_BACKEND must be node, wasm or cpu, got "${env}"`);
  }
  const key = want ?? 'auto';
  if (cached && cachedFor === key) return cached;
  cachedFor = key;
  cached = (async () => {
    const order = want ? ORDER.slice(ORDER.indexOf(want)) : ORDER;
    for (const b of order) {
      const h = await tryBackend(b);
      if (h) return h;
    }
    throw new VoidscopeError('EUNSUPPORTED', 'TensorFlow.js could not start on any backend (tfjs-node, wasm, cpu): reinstall voidscope\'s dependencies');
  })();
  return cached;
}
