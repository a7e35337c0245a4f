/**
 * Learned segmentation (issue 11): train a pixel classifier on painted scribbles, apply it to a whole
 * study. TensorFlow.js is imported only by backend.ts, and only when training.
 *
 *   trainModelFromFiles(images, labels, options) → model + timings (reads files; the edge)
 *   trainModel(trainingImages, options)          → model (pure apart from TensorFlow.js)
 *   writeModel(dir, model) / loadModel(dir)       → the model folder (voidscope-model.json + tfjs files)
 *   segmentModel(input, {path} | {model})         → Segmentation (the registry's `model` segmenter)
 *   predictClasses(raster, area, model)           → class per pixel + confidence figures
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, join, resolve } from 'node:path';
import { VoidscopeError } from '../../errors.js';
import { readImage } from '../../raster/read.js';
import { readLabelImage } from './labels-png.js';
import { phaseColours } from '../../raster/phase-colours.js';
import { MODEL_FILE } from './model-file.js';
import type { Phase } from '../../raster/labels.js';
import { trainModel, type TrainingImage, type TrainOptions, type TrainResult } from './train.js';

export { trainModel, validateClasses, DEFAULT_TRAIN, type TrainOptions, type TrainResult, type TrainingImage } from './train.js';
export { writeModel, loadModel, MODEL_FILE, type LearnedModel, type HeldOutAccuracy, type TrainingRecord } from './model-file.js';
export { segmentModel, predictClasses, predictClassesParallel, loadModelCached, INFERENCE_ENGINE, type ModelSpec, type Prediction, type PredictOptions } from './predict.js';
export { readLabelImage, labelsFromPixels, LABEL_COLOURS, type LabelImage } from './labels-png.js';
export { loadTf, type TfHandle, type TfPreference } from './backend.js';

const IMAGE_EXT = new Set(['.png', '.tif', '.tiff', '.bmp', '.gif', '.webp']);

/**
 * The label file of each image: `labels` lists one file per image (same order), or is one folder
 * holding, for each image, a file named after it (`<stem>.png`, `<stem>.labels.png`, `<stem>.mask.png`
 * or `<stem>.scribbles.png`, or `<stem>` with any image extension).
 */
export async function resolveLabelFiles(images: string[], labels: string[]): Promise<string[]> {
  const isDir = labels.length === 1 && (await stat(labels[0]!).then((st) => st.isDirectory(), () => false));
  if (labels.length === images.length && !isDir) return labels;
  if (isDir) {
    let entries: string[];
    try {
      entries = await readdir(labels[0]!);
    } catch {
      throw new VoidscopeError('EOPTION', `give one label file per image (${images.length} images, 1 label file), or a folder of label images`, { file: labels[0]! });
    }
    return images.map((img) => {
      const stem = basename(img, extname(img));
      const hit =
        ['.labels.png', '.mask.png', '.scribbles.png', '.png'].map((s) => stem + s).find((n) => entries.includes(n)) ??
        entries.find((n) => basename(n, extname(n)) === stem && IMAGE_EXT.has(extname(n).toLowerCase()));
      if (!hit) throw new VoidscopeError('ENOENT', `no label image for ${basename(img)} in this folder (expected ${stem}.png, ${stem}.labels.png or ${stem}.mask.png)`, { file: labels[0]! });
      return join(labels[0]!, hit);
    });
  }
  throw new VoidscopeError('EOPTION', `give one label file per image (${images.length} images, ${labels.length} label files), or one folder of label images`);
}

/** Read images and their label images, and train (the CLI's `voidscope train`). */
export async function trainModelFromFiles(images: string[], labels: string[], options: TrainOptions & { page?: number }): Promise<TrainResult> {
  if (images.length === 0) throw new VoidscopeError('EOPTION', 'name at least one training image');
  const labelFiles = await resolveLabelFiles(images, labels);
  const training: TrainingImage[] = [];
  for (let i = 0; i < images.length; i++) {
    const file = images[i]!;
    const dec = await readImage(file, options.page !== undefined ? { page: options.page } : {});
    const lab = await readLabelImage(labelFiles[i]!, dec.raster.width, dec.raster.height);
    let labelled = 0;
    for (let j = 0; j < lab.labels.length; j++) if (lab.labels[j] !== 0) labelled++;
    if (labelled === 0) throw new VoidscopeError('EOPTION', 'no labelled pixel (0 = unlabelled; 1..k or the colour key for the classes)', { file: labelFiles[i]! });
    const sha256 = createHash('sha256').update(await readFile(file)).digest('hex');
    training.push({
      raster: dec.raster,
      labels: lab.labels,
      file,
      sha256,
      labelsFile: labelFiles[i]!,
      labelsSha256: lab.sha256,
      labelsKind: labelled === lab.labels.length ? 'mask' : lab.kind === 'colour' ? 'scribbles-colour' : 'scribbles',
    });
  }
  return trainModel(training, options);
}

/** The segment spec of a model (house.md: `{ method: 'model'; path }`). */
export interface ModelSegmentSpec {
  method: 'model';
  /** Absolute path of the model folder. */
  path: string;
}

/**
 * Validate a `--model` flag or a study file's `model:` value where it enters: a non-empty string naming a
 * model folder (or its voidscope-model.json), resolved against `baseDir` (the study file's folder; default
 * the working directory). Throws EOPTION naming `at` (e.g. "groups[2].model") when it is not a model folder.
 * Only checks the folder's shape; the model itself is validated (and cached by path) when first used.
 */
export function parseModelSpec(value: unknown, at = '--model', baseDir?: string): ModelSegmentSpec {
  if (typeof value !== 'string' || value.trim() === '') throw new VoidscopeError('EOPTION', `${at} must name a model folder (made by voidscope train)`);
  let dir = isAbsolute(value) ? value : resolve(baseDir ?? process.cwd(), value);
  if (basename(dir) === MODEL_FILE) dir = resolve(dir, '..');
  const ok = existsSync(dir) && statSync(dir).isDirectory() && existsSync(join(dir, MODEL_FILE));
  if (!ok) throw new VoidscopeError('EOPTION', `${at}: ${value} is not a model folder (no ${MODEL_FILE}; make one with voidscope train)`);
  return { method: 'model', path: dir };
}

/**
 * Overlay tint per phase of a model's label map: the scribble colour key (LABEL_COLOURS), so an overlay
 * shows each class in the colour the user paints it with. Index = phase id (0 = outside the area: null).
 * The rule is raster/phase-colours.ts phaseColours (render/ draws with it without importing segmentation/).
 */
export const modelPhaseColours: (phases: readonly Phase[]) => ([number, number, number] | null)[] = phaseColours;
