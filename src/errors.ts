/**
 * The one error type voidscope throws for anything a user can cause (bad file,
 * bad option, unsupported layout). Like sharp's single Error type: callers catch
 * `VoidscopeError` and print `message`, which always names the file when there is one.
 * Anything else escaping the library is a bug in voidscope.
 */
export type VoidscopeErrorCode =
  | 'ENOENT' // file missing
  | 'EEMPTY' // file of zero bytes
  | 'ECORRUPT' // truncated, corrupt or not what it claims to be
  | 'EUNSUPPORTED' // readable but a layout voidscope does not handle
  | 'ETOOLARGE' // over the configured pixel limit
  | 'EOPTION' // an option value is invalid
  | 'EPARSE' // a text/table/metadata parse error (with line/column in the message)
  | 'EIO'; // could not write an output

export class VoidscopeError extends Error {
  override readonly name = 'VoidscopeError';
  readonly code: VoidscopeErrorCode;
  /** The input or output file the problem is about, when there is one. */
  readonly file: string | undefined;

  constructor(code: VoidscopeErrorCode, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(options.file !== undefined ? `${options.file}: ${message}` : message, { cause: options.cause });
    this.code = code;
    this.file = options.file;
  }
}

/** Throw an EOPTION error unless `cond` holds. Used to validate options up front. */
export function assertOption(cond: unknown, message: string): asserts cond {
  if (!cond) throw new VoidscopeError('EOPTION', message);
}

export function isVoidscopeError(e: unknown): e is VoidscopeError {
  return e instanceof VoidscopeError;
}
