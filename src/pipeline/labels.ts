/**
 * Labelling input files with (electrode, binder content, state, kind) from their
 * paths: either by a user pattern like "{electrode}/{binder}wt/{state}/*", or by
 * recognising the usual names in any path segment ("cathode", "NCM811", "SiC",
 * "NBR1.5", "1.5wt%", "pristine", "before", "cycled150", "cyc50", "after", "sem",
 * "sims").
 *
 * Vocabulary (case-insensitive, whole words of a path segment):
 *   electrode  cathode(s), positive, NCM/NMC with or without a composition (NCM811, NMC622), LCO, LFP, NCA
 *              → cathode; anode(s), negative, Si-C, SiC, graphite → anode; full cell → full-cell
 *   state      pristine, fresh, before, uncycled, as-prepared, 0cycles → pristine;
 *              cycled, after, aged, cycled150, cycled_150, after150, cyc150, 150cyc, 150cycles → cycled (with N)
 *   kind       sem; sims, tof-sims, tofsims, an ion label (Li+, 7Li+, Si-); a SurfaceLab image export
 *              "<meas> (<id>) - <label>.txt|csv" → sims
 */
import { VoidscopeError } from '../errors.js';

export type Electrode = 'cathode' | 'anode' | 'full-cell';
export type DataKind = 'sem' | 'sims';
export type CellState = 'pristine' | 'cycled';

export interface PathLabel {
  electrode?: Electrode;
  binderWtPct?: number;
  state?: CellState;
  /** Cycle count for a cycled state, when the name gives one (e.g. "cycled150"). */
  cycles?: number | null;
  kind?: DataKind;
}

/** The default layout pattern used in messages and by `voidscope init`; the default labeller is token-based. */
export const DEFAULT_PATTERN = '{kind}/{electrode}/NBR{binder}/{state}/*';

const ELECTRODE_WORDS: Array<[RegExp, Electrode]> = [
  [/^(cathode|cathodes|positive|(?:ncm|nmc)(?:\d{3,4})?|lco|lfp|nca)$/i, 'cathode'],
  [/^(anode|anodes|negative|si-?c|graphite|sic)$/i, 'anode'],
  [/^(full[-_ ]?cell|fullcell)$/i, 'full-cell'],
];

/** Parse an electrode word ("cathode", "NCM", "Si-C", "full cell"). */
export function parseElectrode(word: string): Electrode | undefined {
  for (const [re, e] of ELECTRODE_WORDS) if (re.test(word.trim())) return e;
  return undefined;
}

/**
 * A binder content from a token: "NBR1.5", "NBR_1.5", "nbr-1,5", "1.5wt%", "1.5wt",
 * "1.5 wt %", "1.5%NBR", "binder1.5", or a bare number when `bare` is allowed.
 */
export function parseBinder(token: string, bare = false): number | undefined {
  const t = token.trim().replace(/(\d),(\d)/g, '$1.$2');
  const res = [
    /(?:^|[^a-z])(?:nbr|binder)[ _-]?(\d+(?:\.\d+)?)(?:[ _-]?wt)?(?:[ _-]?%|pct)?(?!\d|\.\d)/i,
    /(?:^|[^\d.])(\d+(?:\.\d+)?)[ _-]?wt[ _-]?(?:%|pct|percent)?(?![a-z\d])/i,
    /(?:^|[^\d.])(\d+(?:\.\d+)?)[ _-]?(?:%|pct)[ _-]?nbr/i,
  ];
  for (const re of res) {
    const m = re.exec(t);
    if (m) return Number(m[1]);
  }
  if (bare && /^\d+(?:\.\d+)?$/.test(t)) return Number(t);
  return undefined;
}

/**
 * "pristine", "fresh", "before", "uncycled" → pristine; "cycled", "after" → cycled (count unknown);
 * "cycled150", "cycled_150", "cyc150", "150cyc", "150cycles", "after150" → cycled 150.
 */
export function parseState(token: string): { state: CellState; cycles: number | null } | undefined {
  const t = token.trim();
  if (/^(pristine|fresh|before|uncycled|as[-_ ]?prepared|0[ _-]?cyc(?:les?)?)$/i.test(t)) return { state: 'pristine', cycles: null };
  let m = /^(?:cycled|cycle|cyc|after|aged)[ _-]?(\d+)?(?:[ _-]?(?:cycles?|cyc))?$/i.exec(t);
  if (m) return { state: 'cycled', cycles: m[1] !== undefined ? Number(m[1]) : null };
  m = /^(\d+)[ _-]?(?:cycles?|cyc|cycled)$/i.exec(t);
  if (m) return { state: 'cycled', cycles: Number(m[1]) };
  return undefined;
}

/** SurfaceLab image text export: "<measurement> (<id>) - <label>.txt" (also .csv / .tsv). */
const SURFACELAB_EXPORT = /\(\d+\)\s*-\s*[^/]+\.(txt|csv|tsv)$/i;

/** An ion label as SIMS exports name their channels: "Li+", "7Li+", "Na+", "Si-", "LiF2-". */
const ION_LABEL = /^\d{0,2}(?:li|na|k|si|c|o|s|p|f|cl|ni|co|mn|al|ti|zr|la)(?:\d|[a-z]{1,2}\d?)?[+-]$/i;

export function parseKind(token: string): DataKind | undefined {
  if (/^sem$/i.test(token)) return 'sem';
  if (/^(sims|tof[-_ ]?sims|tofsims)$/i.test(token)) return 'sims';
  if (ION_LABEL.test(token)) return 'sims';
  return undefined;
}

/**
 * The default labeller: looks at every path segment (and the words of the file
 * name) for the usual names. Later, more specific segments win over earlier ones.
 */
export function labelFromNames(relPath: string): PathLabel {
  const out: PathLabel = {};
  const segments = relPath.split('/');
  if (SURFACELAB_EXPORT.test(segments[segments.length - 1] ?? '')) out.kind = 'sims';
  for (const seg of segments) {
    const single = seg.split(/[\s_.()\-]+/).filter((w) => w !== '');
    // Adjacent words joined, for names split by a separator: "Si-C" → "SiC", "cycled_150" → "cycled150"
    // (a number joins only with 2+ digits, so "after_1" stays an image index, not 1 cycle).
    const pairs: string[] = [];
    for (let i = 0; i + 1 < single.length; i++) {
      const a = single[i]!;
      const b = single[i + 1]!;
      if ((/^[a-z]+$/i.test(a) && /^[a-z]+$/i.test(b)) || (/^[a-z]+$/i.test(a) && /^\d{2,}$/.test(b)) || (/^\d{2,}$/.test(a) && /^[a-z]+$/i.test(b))) pairs.push(a + b);
    }
    const words = [seg, ...single, ...pairs];
    const binder = parseBinder(seg);
    if (binder !== undefined) out.binderWtPct = binder;
    for (const w of words) {
      const e = parseElectrode(w);
      if (e) out.electrode = e;
      const s = parseState(w);
      if (s) {
        // A bare "after"/"cycled" does not erase a cycle count another word gave ("cyc150_after").
        const keep = s.cycles === null && out.state === s.state && typeof out.cycles === 'number';
        out.state = s.state;
        if (!keep) out.cycles = s.cycles;
      }
      const k = parseKind(w);
      if (k) out.kind = k;
    }
  }
  return out;
}

/** A compiled path pattern. */
export interface PathPattern {
  source: string;
  match(relPath: string): PathLabel | null;
}

const FIELDS = ['electrode', 'binder', 'state', 'kind', 'any'] as const;

/**
 * Compile a pattern such as "{electrode}/{binder}wt/{state}/*". Placeholders take
 * one path segment or part of one; `*` matches within a segment and `**` across
 * segments. The pattern is matched against the end of the path relative to the
 * study folder, so leading folders (e.g. "sem/") need not be written.
 */
export function compilePattern(pattern: string): PathPattern {
  if (pattern.trim() === '') throw new VoidscopeError('EOPTION', '--pattern: the pattern is empty');
  const names: string[] = [];
  let re = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) throw new VoidscopeError('EOPTION', `--pattern "${pattern}": unclosed "{" at position ${i + 1}`);
      const name = pattern.slice(i + 1, end);
      if (!(FIELDS as readonly string[]).includes(name)) {
        throw new VoidscopeError(
          'EOPTION',
          `--pattern "${pattern}": unknown field {${name}} (use {electrode}, {binder}, {state}, {kind} or {any})`,
        );
      }
      names.push(name);
      re += name === 'binder' ? '(\\d+(?:[.,]\\d+)?)' : '([^/]+?)';
      i = end + 1;
    } else if (c === '*') {
      if (pattern[i + 1] === '*') {
        re += '.*';
        i += 2;
      } else {
        re += '[^/]*';
        i++;
      }
    } else if (c === '?') {
      re += '[^/]';
      i++;
    } else {
      re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  const rx = new RegExp(`(?:^|/)${re}$`, 'i');
  return {
    source: pattern,
    match(relPath: string): PathLabel | null {
      const m = rx.exec(relPath);
      if (!m) return null;
      const out: PathLabel = {};
      names.forEach((name, k) => {
        const v = m[k + 1]!;
        if (name === 'electrode') {
          const e = parseElectrode(v);
          if (e) out.electrode = e;
        } else if (name === 'binder') {
          out.binderWtPct = Number(v.replace(',', '.'));
        } else if (name === 'state') {
          const s = parseState(v);
          if (s) {
            out.state = s.state;
            out.cycles = s.cycles;
          }
        } else if (name === 'kind') {
          const kd = parseKind(v);
          if (kd) out.kind = kd;
        }
      });
      return out;
    },
  };
}

/** Format a binder content for display: 1.5 → "1.5 wt %". */
export function binderLabel(b: number): string {
  return `${formatBinder(b)} wt %`;
}

/** 1 → "1.0", 1.5 → "1.5", 0.25 → "0.25". */
export function formatBinder(b: number): string {
  return Number.isInteger(b) ? b.toFixed(1) : String(b);
}
