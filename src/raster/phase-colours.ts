/**
 * The colour of each phase of a label map: the scribble colour key of the learned path (a user paints
 * class k in LABEL_COLOURS[k − 1]) and the tint of that phase in a multi-phase overlay, so an overlay
 * shows each class in the colour it is painted with. It lives here (below render/ and segmentation/)
 * because both use it: segmentation/learned re-exports it, render/ draws with it.
 *
 * Colour key: 1 red #ff0000, 2 green #00ff00, 3 blue #0000ff, 4 yellow #ffff00, 5 magenta #ff00ff,
 * 6 cyan #00ffff, 7 orange #ff8000, 8 purple #8000ff (then again from red).
 */
import type { Phase } from './labels.js';

export const LABEL_COLOURS: readonly (readonly [number, number, number])[] = [
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
  [255, 255, 0],
  [255, 0, 255],
  [0, 255, 255],
  [255, 128, 0],
  [128, 0, 255],
];

/** Colour of phase id `id` (1..255): LABEL_COLOURS[(id − 1) mod 8]. */
export function phaseColour(id: number): [number, number, number] {
  if (!Number.isInteger(id) || id < 1 || id > 255) throw new RangeError(`phase id must be an integer 1..255, got ${id}`);
  return [...LABEL_COLOURS[(id - 1) % LABEL_COLOURS.length]!] as [number, number, number];
}

/** Colour per phase of `phases`, indexed by phase id (0 = outside the analysed area: null; ids not in `phases`: absent). */
export function phaseColours(phases: readonly Phase[]): ([number, number, number] | null)[] {
  const out: ([number, number, number] | null)[] = [null];
  for (const p of phases) out[p.id] = phaseColour(p.id);
  return out;
}
