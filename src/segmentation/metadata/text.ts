/**
 * Text helpers shared by the vendor metadata parsers: decoding sidecars of unknown
 * encoding, INI parsing, tolerant number and length parsing. All pure.
 */

/**
 * Decode a metadata text of unknown encoding: UTF-8/UTF-16LE/UTF-16BE by BOM,
 * UTF-16LE without BOM when every other byte is NUL (Hitachi), else UTF-8 when valid,
 * else Latin-1 (Zeiss/JEOL write "µ" as the single byte 0xB5). Trailing NULs are dropped.
 */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  } else if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  } else if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    text = new TextDecoder('utf-8').decode(bytes.subarray(3));
  } else if (looksUtf16le(bytes)) {
    text = new TextDecoder('utf-16le').decode(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = new TextDecoder('latin1').decode(bytes);
    }
  }
  return text.replace(/\u0000+$/u, '');
}

function looksUtf16le(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length - (bytes.length % 2), 512);
  if (n < 4) return false;
  let zeroOdd = 0;
  let zeroEven = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  return zeroOdd > 0.4 * (n / 2) && zeroEven < 0.05 * (n / 2);
}

export interface IniParse {
  /** Section name → key → value (first occurrence of a key wins). Keys before any section go to "". */
  sections: Map<string, Map<string, string>>;
  warnings: string[];
}

/**
 * Parse INI text (FEI tag 34682, Tescan .hdr, Hitachi sidecars). Lines without "=" that are
 * not blank, comments or section headers are skipped with a warning naming the line.
 */
export function parseIni(text: string, label: string): IniParse {
  const sections = new Map<string, Map<string, string>>();
  const warnings: string[] = [];
  let current = '';
  const lines = text.replace(/^\uFEFF/u, '').split(/\r\n|\r|\n/u);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\u0000/gu, '').trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const sec = /^\[(.*)\]$/u.exec(line);
    if (sec) {
      current = sec[1]!.trim();
      if (!sections.has(current)) sections.set(current, new Map());
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) {
      warnings.push(`${label}: malformed line ${i + 1} skipped: ${JSON.stringify(truncate(line, 60))}`);
      continue;
    }
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    let map = sections.get(current);
    if (!map) sections.set(current, (map = new Map()));
    if (!map.has(key)) map.set(key, value);
  }
  return { sections, warnings };
}

/** Flatten INI sections to "Section.Key" → value (keys outside a section keep their bare name). */
export function flattenIni(ini: IniParse, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [sec, map] of ini.sections) {
    for (const [k, v] of map) out[prefix + (sec === '' ? k : `${sec}.${k}`)] = v;
  }
  return out;
}

export function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/**
 * Strict number parse: the whole (trimmed) string must be a finite decimal number
 * (scientific notation allowed, e.g. "133.00e-9", "2.614514e-006"). Returns null otherwise.
 */
export function parseNumber(s: string | undefined | null): number | null {
  if (s === undefined || s === null) return null;
  const t = s.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/u.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/** Factor from a length unit to micrometres, or null for an unknown unit. */
export function lengthUnitToUm(unitRaw: string): number | null {
  // A replacement character or Latin-1-misread byte before "m" is the "µ" of a Latin-1 file
  // decoded as UTF-8 (geotiff decodes TIFF ASCII tags as UTF-8).
  const unit = unitRaw.trim().replace(/^[\uFFFD\u00B5\u03BC]\s*m$/u, 'µm').replace(/^Âµm$/u, 'µm');
  switch (unit.toLowerCase()) {
    case 'm':
    case 'meter':
    case 'metre':
    case 'meters':
    case 'metres':
      return 1e6;
    case 'mm':
      return 1e3;
    case 'µm':
    case 'um':
    case 'micron':
    case 'microns':
    case 'micrometer':
    case 'micrometre':
      return 1;
    case 'nm':
      return 1e-3;
    case 'pm':
      return 1e-6;
    case 'å':
    case 'angstrom':
      return 1e-4;
    default:
      return null;
  }
}

/** Parse "5.965 µm", "11.16 nm", "100um" into micrometres; null when not a number + known unit. */
export function parseLengthUm(s: string | undefined | null): number | null {
  if (s === undefined || s === null) return null;
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([^\s\d].*?)\s*$/u.exec(s);
  if (!m) return null;
  const v = Number(m[1]);
  const f = lengthUnitToUm(m[2]!);
  if (!Number.isFinite(v) || f === null) return null;
  return v * f;
}

/** Zero-pad to two digits. */
export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Build an ISO-like "YYYY-MM-DDTHH:MM:SS" from parts, or null when the parts are not a valid date. */
export function isoDate(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): string | null {
  if (![y, mo, d, h, mi, s].every(Number.isFinite)) return null;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) return null;
  return `${String(y).padStart(4, '0')}-${pad2(mo)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(Math.floor(s))}`;
}

/** Parse "HH:MM[:SS][ AM|PM]" → [h, m, s] or null. */
export function parseClock(s: string | undefined): [number, number, number] | null {
  if (!s) return null;
  const m = /^\s*(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?\s*([AaPp][Mm])?\s*$/u.exec(s);
  if (!m) return null;
  let h = Number(m[1]);
  const ampm = m[4]?.toUpperCase();
  if (ampm === 'PM' && h < 12) h += 12;
  if (ampm === 'AM' && h === 12) h = 0;
  return [h, Number(m[2]), m[3] ? Number(m[3]) : 0];
}

/** Relative difference |a-b| / max(|a|,|b|). */
export function relDiff(a: number, b: number): number {
  const d = Math.max(Math.abs(a), Math.abs(b));
  return d === 0 ? 0 : Math.abs(a - b) / d;
}

/** Round to `sig` significant digits for messages. */
export function sig(v: number, n = 6): string {
  return Number(v.toPrecision(n)).toString();
}
