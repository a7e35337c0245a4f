/**
 * FEI / Thermo Fisher metadata: TIFF tag 34682 (INI text), tag 34683 (XML with
 * <PixelSize>), tag 34680 (sometimes base64-encoded XML rather than INI).
 *
 * Calibration rules, in order:
 *  1. tag 34683 XML `Metadata.BinaryResult.PixelSize.X` (metres, full double precision);
 *  2. 34682 `[Scan] PixelWidth/PixelHeight` (metres), then `[EScan]`/`[IScan]`;
 *  3. navigation-camera / beam images without a scan section: `HFW` of the active beam section
 *     (`[Beam] Beam=`, else `[IRBeam]`) divided by `[Image] ResolutionX`.
 * Data bar: the image height minus `[Image] ResolutionY` (the imaged height), which stays right
 * where `[PrivateFei] DatabarHeight` is 0 or empty (fei-sem-rbc.tif); a disagreeing
 * DatabarHeight is reported as a warning.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ImageDims, VendorReading } from './types.js';
import { emptyReading } from './types.js';
import { flattenIni, isoDate, parseClock, parseIni, parseNumber, relDiff, sig, truncate } from './text.js';
import { flattenXml } from './xml.js';

export function parseFeiMetadata(
  ini: string | null,
  xml34683: string | null,
  dims: ImageDims,
  label = 'FEI tag 34682',
): VendorReading {
  const r = emptyReading('FEI/Thermo');
  const sections = ini !== null ? parseIni(ini, label) : null;
  if (sections) {
    r.warnings.push(...sections.warnings);
    Object.assign(r.fields, flattenIni(sections));
  }
  const get = (sec: string, key: string): string | undefined => sections?.sections.get(sec)?.get(key);
  /** Numeric field; a present but non-numeric value is skipped with a warning. */
  const num = (sec: string, key: string): number | null => {
    const raw = get(sec, key);
    if (raw === undefined || raw === '') return null;
    const v = parseNumber(raw);
    if (v === null) r.warnings.push(`${label} [${sec}] ${key}: not a number (${JSON.stringify(truncate(raw, 40))}), skipped`);
    return v;
  };

  // --- XML (tag 34683) -----------------------------------------------------------------
  let xmlPixel: { x: number; y: number | null } | null = null;
  let xmlObj: Record<string, unknown> | null = null;
  const valid = xml34683 !== null ? XMLValidator.validate(xml34683) : true;
  if (valid !== true) {
    r.warnings.push(`FEI tag 34683: malformed XML (${valid.err.msg}, line ${valid.err.line}), skipped`);
  } else if (xml34683 !== null) {
    try {
      xmlObj = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false }).parse(
        xml34683,
      ) as Record<string, unknown>;
      Object.assign(r.fields, flattenXml(xmlObj, 'FEI34683'));
      const ps = dig(xmlObj, ['Metadata', 'BinaryResult', 'PixelSize']);
      const x = xmlLengthM(dig(ps, ['X']));
      const y = xmlLengthM(dig(ps, ['Y']));
      if (x !== null && x > 0) xmlPixel = { x, y: y !== null && y > 0 ? y : null };
      else if (ps !== undefined) r.warnings.push('FEI tag 34683 <PixelSize>: no usable X value, skipped');
    } catch (e) {
      r.warnings.push(`FEI tag 34683: XML could not be parsed (${(e as Error).message}), skipped`);
    }
  }

  // --- pixel size ---------------------------------------------------------------------
  let iniPixel: { x: number; y: number | null; source: string } | null = null;
  for (const sec of ['Scan', 'EScan', 'IScan']) {
    const pw = num(sec, 'PixelWidth');
    const ph = num(sec, 'PixelHeight');
    if (pw !== null && pw > 0) {
      iniPixel = { x: pw, y: ph !== null && ph > 0 ? ph : null, source: `${label} [${sec}] PixelWidth` };
      break;
    }
  }
  if (!iniPixel) {
    const beam = get('Beam', 'Beam');
    const beamSections = [beam, 'IRBeam'].filter((s, i, a): s is string => !!s && a.indexOf(s) === i);
    const resX = num('Image', 'ResolutionX');
    const resY = num('Image', 'ResolutionY');
    for (const sec of beamSections) {
      if (!sections?.sections.has(sec)) continue;
      const hfw = num(sec, 'HFW');
      const vfw = num(sec, 'VFW');
      if (hfw !== null && hfw > 0 && resX !== null && resX > 0) {
        const y = vfw !== null && vfw > 0 && resY !== null && resY > 0 ? vfw / resY : null;
        iniPixel = { x: hfw / resX, y, source: `${label} [${sec}] HFW / [Image] ResolutionX` };
        break;
      }
    }
  }
  const chosen = xmlPixel
    ? { x: xmlPixel.x, y: xmlPixel.y, source: 'FEI tag 34683 XML <PixelSize><X>' }
    : iniPixel;
  if (xmlPixel && iniPixel && relDiff(xmlPixel.x, iniPixel.x) > 1e-4) {
    r.warnings.push(
      `FEI: tag 34683 pixel size ${sig(xmlPixel.x * 1e6)} µm disagrees with ${iniPixel.source} ${sig(iniPixel.x * 1e6)} µm; using tag 34683`,
    );
  }
  if (chosen) {
    r.pixelSize = { value: chosen.x * 1e6, unit: 'µm', source: chosen.source };
    // HFW/VFW are written to ~6 digits: only a real difference (> 1e-4) makes pixels non-square.
    if (chosen.y !== null && relDiff(chosen.y, chosen.x) > 1e-4) r.pixelSize.valueY = chosen.y * 1e6;
    const resX = parseNumber(get('Image', 'ResolutionX'));
    if (resX !== null && resX > 0 && resX !== dims.width) {
      // The file was resampled after acquisition: the metadata describe ResolutionX pixels across.
      r.pixelSize.value *= resX / dims.width;
      if (r.pixelSize.valueY !== undefined) r.pixelSize.valueY *= resX / dims.width;
      r.pixelSize.source += ` × [Image] ResolutionX ${resX} / image width ${dims.width}`;
      r.warnings.push(`FEI: image width ${dims.width} differs from [Image] ResolutionX ${resX}; pixel size rescaled`);
    }
  }

  // --- data bar -------------------------------------------------------------------------
  const resX = parseNumber(get('Image', 'ResolutionX'));
  const resYraw = get('Image', 'ResolutionY');
  const resY = num('Image', 'ResolutionY');
  const dbRaw = get('PrivateFei', 'DatabarHeight');
  const dbh = dbRaw === undefined || dbRaw === '' ? null : parseNumber(dbRaw);
  if (dbRaw !== undefined && dbRaw !== '' && dbh === null) {
    r.warnings.push(`${label} [PrivateFei] DatabarHeight: not a number (${JSON.stringify(truncate(dbRaw, 40))}), skipped`);
  }
  const scale = resX !== null && resX > 0 ? dims.width / resX : 1;
  if (resY !== null && resY > 0 && Math.round(resY * scale) <= dims.height) {
    const rows = dims.height - Math.round(resY * scale);
    if (dbh !== null && dbh > 0 && Math.round(dbh * scale) === rows) {
      r.databar = { rows, source: `${label} [PrivateFei] DatabarHeight (= image height − [Image] ResolutionY)` };
    } else {
      r.databar = { rows, source: `${label} [Image] ResolutionY (image height ${dims.height} − ${resY})` };
      if (dbh !== null && dbh !== rows) {
        r.warnings.push(
          `${label} [PrivateFei] DatabarHeight=${dbh} disagrees with image height − [Image] ResolutionY = ${rows}; using ResolutionY`,
        );
      }
    }
  } else {
    if (resYraw !== undefined && resY !== null) {
      r.warnings.push(`${label} [Image] ResolutionY=${resY} exceeds the image height ${dims.height}, ignored`);
    }
    if (dbh !== null && dbh > 0 && dbh < dims.height) {
      r.databar = { rows: Math.round(dbh), source: `${label} [PrivateFei] DatabarHeight` };
    }
  }

  // --- instrument and acquisition parameters --------------------------------------------
  r.instrument =
    nonEmpty(get('System', 'SystemType')) ??
    nonEmpty(asString(dig(xmlObj, ['Metadata', 'Instrument', 'InstrumentClass']))) ??
    nonEmpty(get('System', 'Type'));
  const beamSec = get('Beam', 'Beam');
  const hv = num('Beam', 'HV') ?? (beamSec ? num(beamSec, 'HV') : null);
  if (hv !== null && hv >= 0) r.acceleratingVoltageKV = hv / 1000;
  const wd = num('Stage', 'WorkingDistance') ?? (beamSec ? num(beamSec, 'WD') : null);
  if (wd !== null && wd >= 0) r.workingDistanceMm = wd * 1000;
  // No magnification: FEI files store none, and DisplayWidth/HFW depends on a display reference
  // that differs from the one printed in the data bar (fei-sem-rbc: 43750 vs "35 000 x").
  const detName = nonEmpty(get('Detectors', 'Name'));
  const detMode = nonEmpty(get('Detectors', 'Mode'));
  if (detName) r.detector = detMode && detMode !== 'None' ? `${detName} ${detMode}` : detName;
  const date = get('User', 'Date');
  const dm = date ? /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/u.exec(date.trim()) : null;
  if (dm) {
    const t = parseClock(get('User', 'Time')) ?? [0, 0, 0];
    r.date = isoDate(Number(dm[3]), Number(dm[1]), Number(dm[2]), ...t) ?? date;
  } else if (date) r.date = date;
  return r;
}

function nonEmpty(s: string | undefined | null): string | null {
  const t = s?.trim();
  return t ? t : null;
}

function asString(v: unknown): string | null {
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && '#text' in v) return String((v as Record<string, unknown>)['#text']);
  return null;
}

/** Walk a parsed XML object by element names. */
export function dig(o: unknown, path: string[]): unknown {
  let cur = o;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** `<X unit="m" unitPrefixPower="1">3.85E-07</X>` → metres. */
function xmlLengthM(node: unknown): number | null {
  const text = asString(node);
  const v = parseNumber(text);
  if (v === null) return null;
  const unit = node && typeof node === 'object' ? (node as Record<string, unknown>)['@unit'] : undefined;
  if (unit !== undefined && unit !== 'm') return null;
  return v;
}

/** Tag 34680 may hold base64 XML (Helios G4 `MementoItemCollection`) rather than INI. */
export function decodeFei34680(text: string): { kind: 'ini' | 'xml' | 'unknown'; text: string } {
  const t = text.trim();
  if (t.startsWith('[')) return { kind: 'ini', text: t };
  if (t.startsWith('<')) return { kind: 'xml', text: t };
  if (/^[A-Za-z0-9+/=\s]+$/u.test(t)) {
    const dec = Buffer.from(t, 'base64').toString('utf8').replace(/^\uFEFF/u, '');
    if (dec.trimStart().startsWith('<')) return { kind: 'xml', text: dec };
  }
  return { kind: 'unknown', text: t };
}
