/** Flatten a fast-xml-parser object to "A.B.C" → text (attributes as "A.B@attr"); bounded in size. */
export function flattenXml(o: unknown, prefix: string, limit = 2000): Record<string, string> {
  const out: Record<string, string> = {};
  let n = 0;
  const walk = (v: unknown, path: string): void => {
    if (n >= limit) return;
    if (v === null || v === undefined) return;
    if (typeof v !== 'object') {
      out[path] = String(v);
      n++;
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`));
      return;
    }
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === '#text') walk(x, path);
      else if (k.startsWith('@')) walk(x, `${path}${k}`);
      else if (k.startsWith('?')) continue;
      else walk(x, path ? `${path}.${k}` : k);
    }
  };
  walk(o, prefix);
  return out;
}
