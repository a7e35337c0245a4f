/** Moved to src/render/overlay.ts (the render layer); kept as a re-export for existing imports. */
export { OVERLAY_PALETTE, drawOverlay, drawOverlayIndexed, renderOverlay, voidMaskPng, type OverlayInput, type OverlayPngOptions } from '../render/overlay.js';
