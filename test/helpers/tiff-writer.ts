/**
 * A minimal baseline TIFF writer for tests: one strip per page, uncompressed,
 * little-endian, any sample type, several pages, extra ASCII/byte tags.
 * It exists so tests can make exactly the files they need (float32 and uint32
 * count maps, signed samples, multi-page stacks, vendor tags) without a
 * reference tool; it is not part of voidscope.
 */
export type SampleKind = 'uint8' | 'uint16' | 'uint32' | 'int16' | 'float32';

export interface TiffPage {
  width: number;
  height: number;
  kind: SampleKind;
  data: ArrayLike<number>;
  /** Extra tags: numeric tag id → ASCII string (type 2) or bytes (type 7, UNDEFINED). */
  tags?: Record<number, string | Uint8Array>;
}

const KIND: Record<SampleKind, { bytes: number; format: number }> = {
  uint8: { bytes: 1, format: 1 },
  uint16: { bytes: 2, format: 1 },
  uint32: { bytes: 4, format: 1 },
  int16: { bytes: 2, format: 2 },
  float32: { bytes: 4, format: 3 },
};

export function writeTiff(pages: TiffPage[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  let offset = 8;
  const header = new Uint8Array(8);
  const hv = new DataView(header.buffer);
  header.set([0x49, 0x49, 42, 0]);
  chunks.push(header);
  let prevNextPtr = { chunk: header, at: 4 };
  for (const p of pages) {
    const k = KIND[p.kind];
    // pixel data
    const pix = new Uint8Array(p.width * p.height * k.bytes);
    const pv = new DataView(pix.buffer);
    for (let i = 0; i < p.width * p.height; i++) {
      const v = p.data[i]!;
      if (p.kind === 'uint8') pv.setUint8(i, v);
      else if (p.kind === 'uint16') pv.setUint16(i * 2, v, true);
      else if (p.kind === 'int16') pv.setInt16(i * 2, v, true);
      else if (p.kind === 'uint32') pv.setUint32(i * 4, v, true);
      else pv.setFloat32(i * 4, v, true);
    }
    const pixOffset = offset;
    chunks.push(pix);
    offset += pix.length;
    if (offset % 2) { chunks.push(new Uint8Array(1)); offset += 1; }
    // out-of-line tag values
    type Entry = { tag: number; type: number; count: number; value: number | Uint8Array };
    const entries: Entry[] = [
      { tag: 256, type: 4, count: 1, value: p.width },
      { tag: 257, type: 4, count: 1, value: p.height },
      { tag: 258, type: 3, count: 1, value: k.bytes * 8 },
      { tag: 259, type: 3, count: 1, value: 1 },
      { tag: 262, type: 3, count: 1, value: 1 },
      { tag: 273, type: 4, count: 1, value: pixOffset },
      { tag: 277, type: 3, count: 1, value: 1 },
      { tag: 278, type: 4, count: 1, value: p.height },
      { tag: 279, type: 4, count: 1, value: pix.length },
      { tag: 339, type: 3, count: 1, value: k.format },
    ];
    for (const [id, v] of Object.entries(p.tags ?? {})) {
      const bytes = typeof v === 'string' ? new TextEncoder().encode(v + '\0') : v;
      entries.push({ tag: Number(id), type: typeof v === 'string' ? 2 : 7, count: bytes.length, value: bytes });
    }
    entries.sort((a, b) => a.tag - b.tag);
    const resolved = entries.map((e) => {
      if (typeof e.value === 'number' || e.value.length <= 4) return e;
      const at = offset;
      chunks.push(e.value);
      offset += e.value.length;
      if (offset % 2) { chunks.push(new Uint8Array(1)); offset += 1; }
      return { ...e, value: at, inline: false };
    });
    const ifd = new Uint8Array(2 + resolved.length * 12 + 4);
    const iv = new DataView(ifd.buffer);
    iv.setUint16(0, resolved.length, true);
    resolved.forEach((e, i) => {
      const o = 2 + i * 12;
      iv.setUint16(o, e.tag, true);
      iv.setUint16(o + 2, e.type, true);
      iv.setUint32(o + 4, e.count, true);
      if (typeof e.value === 'number') {
        if ('inline' in e || e.type === 4) iv.setUint32(o + 8, e.value, true);
        else iv.setUint16(o + 8, e.value, true);
      } else ifd.set(e.value, o + 8);
    });
    new DataView(prevNextPtr.chunk.buffer, prevNextPtr.chunk.byteOffset).setUint32(prevNextPtr.at, offset, true);
    chunks.push(ifd);
    prevNextPtr = { chunk: ifd, at: ifd.length - 4 };
    offset += ifd.length;
  }
  void hv;
  const out = new Uint8Array(offset);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}
