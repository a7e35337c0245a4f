/**
 * A small imzML 1.1 writer for tests only: continuous or processed mode, 32/64-bit float or
 * integer arrays, optional zlib, referenceable param groups, Latin-1 XML with non-ASCII text.
 * It lets the tests build files the reader has never seen and corrupt them on purpose.
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

export type DataType = 'float32' | 'float64' | 'int32' | 'int64';
const ACC: Record<DataType, string> = { float32: 'MS:1000521', float64: 'MS:1000523', int32: 'IMS:1000141', int64: 'IMS:1000142' };
const BYTES: Record<DataType, number> = { float32: 4, float64: 8, int32: 4, int64: 8 };

export interface WriteImzmlOptions {
  mode: 'continuous' | 'processed';
  spectra: { x: number; y: number; mz: number[]; intensity: number[] }[];
  mzType?: DataType;
  intensityType?: DataType;
  zlib?: boolean;
  pixelSizeUm?: number;
  /** Override what goes into the XML (for corruption tests). */
  xmlUuid?: string;
  /** Shift every intensity offset by this many bytes (for corruption tests). */
  offsetShift?: number;
  /** Write a SHA-1 of the .ibd into the XML. */
  sha1?: boolean;
  /** The 16-byte UUID (random when absent; fixed for reproducible fuzz inputs). */
  uuid?: Buffer;
}

function encode(values: number[], t: DataType): Buffer {
  const b = Buffer.alloc(values.length * BYTES[t]);
  values.forEach((v, i) => {
    if (t === 'float32') b.writeFloatLE(v, 4 * i);
    else if (t === 'float64') b.writeDoubleLE(v, 8 * i);
    else if (t === 'int32') b.writeInt32LE(v, 4 * i);
    else b.writeBigInt64LE(BigInt(v), 8 * i);
  });
  return b;
}

export function writeImzml(base: string, o: WriteImzmlOptions): { xml: string; ibd: string; uuid: string } {
  const uuid = o.uuid ?? randomBytes(16);
  const mzT = o.mzType ?? 'float32';
  const inT = o.intensityType ?? 'float32';
  const parts: Buffer[] = [uuid];
  let offset = 16;
  const put = (b: Buffer) => {
    const at = offset;
    const data = o.zlib ? deflateSync(b) : b;
    parts.push(data);
    offset += data.length;
    return { offset: at, encoded: data.length };
  };
  let shared: { offset: number; encoded: number } | null = null;
  const refs = o.spectra.map((s) => {
    const mz = o.mode === 'continuous' ? (shared ??= put(encode(s.mz, mzT))) : put(encode(s.mz, mzT));
    const it = put(encode(s.intensity, inT));
    return { mz, it, n: s.mz.length };
  });
  const ibd = Buffer.concat(parts);
  const comp = o.zlib ? '<cvParam cvRef="MS" accession="MS:1000574" name="zlib compression"/>' : '<cvParam cvRef="MS" accession="MS:1000576" name="no compression"/>';
  const arr = (ref: string, r: { offset: number; encoded: number }, n: number, shift = 0) =>
    `<binaryDataArray encodedLength="0"><referenceableParamGroupRef ref="${ref}"/>` +
    `<cvParam cvRef="IMS" accession="IMS:1000103" name="external array length" value="${n}"/>` +
    `<cvParam cvRef="IMS" accession="IMS:1000102" name="external offset" value="${r.offset + shift}"/>` +
    `<cvParam cvRef="IMS" accession="IMS:1000104" name="external encoded length" value="${r.encoded}"/><binary/></binaryDataArray>`;
  const maxX = o.spectra.reduce((m, s) => Math.max(m, s.x), -Infinity);
  const maxY = o.spectra.reduce((m, s) => Math.max(m, s.y), -Infinity);
  const xml = `<?xml version="1.0" encoding="ISO-8859-1"?>
<mzML xmlns="http://psi.hupo.org/ms/mzml" version="1.1">
<cvList count="2"><cv id="MS" fullName="PSI-MS"/><cv id="IMS" fullName="imagingMS"/></cvList>
<fileDescription><fileContent>
<cvParam cvRef="IMS" accession="IMS:1000080" name="universally unique identifier" value="{${(o.xmlUuid ?? uuid.toString('hex')).toUpperCase()}}"/>
${o.sha1 ? `<cvParam cvRef="IMS" accession="IMS:1000091" name="ibd SHA-1" value="${createHash('sha1').update(ibd).digest('hex')}"/>` : ''}
<cvParam cvRef="IMS" accession="${o.mode === 'continuous' ? 'IMS:1000030' : 'IMS:1000031'}" name="${o.mode}"/>
</fileContent><contact><cvParam cvRef="MS" accession="MS:1000586" name="contact name" value="Jürgen Müßig, Gießen"/></contact></fileDescription>
<referenceableParamGroupList count="3">
<referenceableParamGroup id="mzArray">${comp}<cvParam cvRef="MS" accession="MS:1000514" name="m/z array"/><cvParam cvRef="MS" accession="${ACC[mzT]}" name="t"/></referenceableParamGroup>
<referenceableParamGroup id="intensities">${comp}<cvParam cvRef="MS" accession="MS:1000515" name="intensity array"/><cvParam cvRef="MS" accession="${ACC[inT]}" name="t"/></referenceableParamGroup>
<referenceableParamGroup id="spec"><cvParam cvRef="MS" accession="MS:1000130" name="positive scan"/><cvParam cvRef="MS" accession="MS:1000127" name="centroid spectrum"/></referenceableParamGroup>
</referenceableParamGroupList>
<scanSettingsList count="1"><scanSettings id="s1">
<cvParam cvRef="IMS" accession="IMS:1000042" name="max count of pixels x" value="${maxX}"/>
<cvParam cvRef="IMS" accession="IMS:1000043" name="max count of pixels y" value="${maxY}"/>
${o.pixelSizeUm !== undefined ? `<cvParam cvRef="IMS" accession="IMS:1000046" name="pixel size (x)" value="${o.pixelSizeUm}" unitAccession="UO:0000017" unitName="micrometer"/>` : ''}
</scanSettings></scanSettingsList>
<run id="r"><spectrumList count="${o.spectra.length}">
${o.spectra
  .map(
    (s, i) => `<spectrum id="s${i}" index="${i}" defaultArrayLength="0"><referenceableParamGroupRef ref="spec"/>
<scanList count="1"><scan><cvParam cvRef="IMS" accession="IMS:1000050" name="position x" value="${s.x}"/><cvParam cvRef="IMS" accession="IMS:1000051" name="position y" value="${s.y}"/></scan></scanList>
<binaryDataArrayList count="2">${arr('mzArray', refs[i]!.mz, refs[i]!.n)}${arr('intensities', refs[i]!.it, refs[i]!.n, o.offsetShift ?? 0)}</binaryDataArrayList></spectrum>`,
  )
  .join('\n')}
</spectrumList></run></mzML>
`;
  writeFileSync(`${base}.imzML`, Buffer.from(xml, 'latin1'));
  writeFileSync(`${base}.ibd`, ibd);
  return { xml: `${base}.imzML`, ibd: `${base}.ibd`, uuid: uuid.toString('hex') };
}
