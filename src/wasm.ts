/**
 * Loading the project's own WebAssembly kernels (gaussian.wasm, mlp.wasm), compiled from .wat by the
 * build (scripts/postbuild.mjs). One place for the file read, its error and the parts of the
 * WebAssembly JS API used (Node has it; the ES lib typings do not declare it).
 */
import { readFileSync } from 'node:fs';
import { VoidscopeError } from './errors.js';

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const WebAssemblyApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Compile the .wasm file at `url` (a module object to instantiate); EIO when the build step did not run. */
export function compileWasm(url: URL): object {
  let bytes: Buffer;
  try {
    bytes = readFileSync(url);
  } catch {
    throw new VoidscopeError('EIO', `${url.pathname} is missing: voidscope was compiled without its WebAssembly step (run npm run build)`);
  }
  return new WebAssemblyApi.Module(bytes);
}

/** A new instance (own memory) of a compiled module, its exports typed as T. */
export function instantiateWasm<T>(module: object): T {
  return new WebAssemblyApi.Instance(module, {}).exports as T;
}
