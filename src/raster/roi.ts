/**
 * The one ROI parser: "x,y,width,height" in whole pixels (top-left origin), from a CLI flag or a
 * study file, or an {x, y, width, height} object from a library call. Checking a ROI against an
 * image is `validateRoi` (raster/types.ts); this only checks the shape.
 */
import { VoidscopeError } from '../errors.js';
import type { Roi } from './types.js';

/** What a ROI must look like, in the user's words (used in every message). */
export const ROI_FORMAT = 'x,y,width,height in whole pixels (e.g. 0,0,1024,900)';

/**
 * Parse a ROI given as text "x,y,w,h" or as an object. Returns null for a bad value (the caller
 * names the option in its own words); see parseRoiOption for the throwing form.
 */
export function parseRoi(value: unknown): Roi | null {
  let nums: unknown[];
  if (typeof value === 'string') {
    const parts = value.split(',').map((s) => s.trim());
    if (parts.length !== 4 || parts.some((p) => !/^\d+$/.test(p))) return null;
    nums = parts.map(Number);
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length !== 4 || !['x', 'y', 'width', 'height'].every((k) => k in o)) return null;
    nums = [o.x, o.y, o.width, o.height];
  } else return null;
  if (!nums.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) return null;
  const [x, y, width, height] = nums as [number, number, number, number];
  if (width === 0 || height === 0) return null;
  return { x, y, width, height };
}

/** parseRoi, throwing EOPTION `<name> must be x,y,width,height …, got "<value>"`. */
export function parseRoiOption(value: unknown, name = 'roi'): Roi {
  const r = parseRoi(value);
  if (!r) throw new VoidscopeError('EOPTION', `${name} must be ${ROI_FORMAT}, got ${typeof value === 'string' ? `"${value}"` : JSON.stringify(value)}`);
  return r;
}
