/** Line splitting and number parsing shared by the SIMS text readers (whitespace-separated exports). */
import { VoidscopeError } from '../../errors.js';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SPECIAL = /^[+-]?(nan|inf|infinity)$/i;

/** Parse one numeric cell; non-numeric text is an EPARSE error naming file, line and column. */
export function parseCell(cell: string, file: string, line: number, column: number): number {
  if (NUMBER.test(cell)) return Number(cell);
  if (SPECIAL.test(cell)) {
    const lower = cell.toLowerCase();
    if (lower.includes('nan')) return NaN;
    return lower.startsWith('-') ? -Infinity : Infinity;
  }
  throw new VoidscopeError('EPARSE', `line ${line}, column ${column}: "${cell.length > 40 ? cell.slice(0, 40) + '…' : cell}" is not a number`, { file });
}

/** Split text into lines (LF or CRLF), keeping 1-based line numbers. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) if (lines[i]!.endsWith('\r')) lines[i] = lines[i]!.slice(0, -1);
  return lines;
}

/** Split a data line on runs of spaces/tabs (leading/trailing whitespace ignored). */
export function splitWhitespace(line: string): string[] {
  const t = line.trim();
  return t === '' ? [] : t.split(/[ \t]+/);
}
