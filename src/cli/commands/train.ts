/**
 * `voidscope train`: train a pixel classifier from painted labels and write a model folder (thin layer
 * over trainModelFromFiles / writeModel in src/segmentation/learned/). Segment with it through
 * `voidscope porosity --model <folder>` or `model:` in the study file.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { VoidscopeError } from '../../errors.js';
import type { TrainResult } from '../../segmentation/learned/index.js';

interface Args {
  images?: string[];
  labels?: string[];
  classes?: string;
  void?: string;
  out?: string;
  seed?: number;
  hidden?: number;
  epochs?: number;
  priorWeight?: number;
  page?: number;
  backend?: string;
  json?: boolean;
}

/** Parse `void,electrolyte,active`. */
export function parseClassesArg(text: string): string[] {
  return text.split(',').map((s) => s.trim());
}

const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : 'n/a');

export function formatTrainText(r: TrainResult, out: string, sha256: string): string {
  const m = r.model;
  const t = m.training;
  const lines = [`model ${out}  (sha256 ${sha256.slice(0, 16)}…)`];
  lines.push(`  classes ${m.classes.map((c, i) => `${i + 1}=${c}`).join(', ')}; void class "${m.voidClass}"`);
  lines.push(`  network ${m.network.inputs} features → ${m.network.hidden} → ${m.network.outputs}; TensorFlow.js ${m.versions.tfjs} on ${m.versions.backend}; seed ${t.seed}; ${t.epochs} epochs, ${t.steps} steps`);
  lines.push(`  training pixels ${t.trainPixels} (${Object.entries(t.trainPixelsPerClass).map(([c, n]) => `${c} ${n}`).join(', ')}) from ${t.images.length} image(s)`);
  lines.push(`  held-out ${t.heldOut.pixels} px: accuracy ${pct(t.heldOut.accuracy)}, balanced ${pct(t.heldOut.balancedAccuracy)} (${Object.entries(t.heldOut.perClass).map(([c, a]) => `${c} ${pct(a)}`).join(', ')})`);
  lines.push(`  confusion (rows true, columns predicted): ${t.heldOut.confusion.map((r) => `[${r.join(' ')}]`).join(' ')}`);
  const unmeasured = m.classes.filter((c) => !(c in t.heldOut.perClass));
  if (unmeasured.length > 0) lines.push(`  note: no held-out pixels of ${unmeasured.join(', ')} (all of its strokes fell in training blocks): its accuracy is not measured; paint more, separate strokes`);
  lines.push(`  class proportions: ${t.proportions.rule}; estimated ${Object.entries(t.proportions.estimated).map(([c, v]) => `${c} ${pct(v)}`).join(', ')}`);
  lines.push(`  time: features ${r.seconds.features.toFixed(1)} s, fit ${r.seconds.fit.toFixed(1)} s`);
  return lines.join('\n');
}

const command: CommandModule<object, Args> = {
  command: 'train <images..>',
  describe: 'Train a pixel classifier from painted labels (scribbles) and write a model folder',
  builder: (y: Argv<object>) =>
    y
      .positional('images', { type: 'string', array: true, describe: 'training images' })
      .option('labels', { type: 'string', array: true, demandOption: true, describe: 'label images, one per image (0 = unlabelled, 1..k, or the colour key), or one folder of label images/masks' })
      .option('classes', { type: 'string', demandOption: true, describe: 'class names in label order, e.g. void,electrolyte,active' })
      .option('void', { type: 'string', describe: 'which class is void (default: the class named "void")' })
      .option('out', { type: 'string', demandOption: true, describe: 'model folder to write' })
      .option('seed', { type: 'number', describe: 'random seed (default 1): same labels + seed → same model' })
      .option('hidden', { type: 'number', describe: 'hidden units (default 16)' })
      .option('epochs', { type: 'number', describe: 'training epochs (default 200, capped at 4000 steps)' })
      .option('prior-weight', { type: 'number', describe: 'how far the class proportions move from equal towards those estimated on the training images, 0..1 (default 0.5)' })
      .option('page', { type: 'number', describe: 'page of multi-page TIFFs (first = 0)' })
      .option('backend', { type: 'string', choices: ['node', 'wasm', 'cpu'], describe: 'TensorFlow.js backend to try first (default: node if installed, else wasm, else cpu)' })
      .option('json', { type: 'boolean', describe: 'print the model record as JSON' }) as unknown as Argv<Args>,
  handler: async (a) => {
    if (!a.images || a.images.length === 0) throw new VoidscopeError('EOPTION', 'name at least one training image');
    if (!a.out) throw new VoidscopeError('EOPTION', 'name the model folder with --out');
    const out = resolve(a.out);
    const inputs = [...a.images, ...(a.labels ?? [])].map((p) => resolve(p));
    if (inputs.some((p) => p === out || (existsSync(p) && statSync(p).isDirectory() && out.startsWith(p + '/')))) {
      throw new VoidscopeError('EOPTION', 'the model folder must not be an input or inside an input folder', { file: a.out });
    }
    if (existsSync(out) && (!statSync(out).isDirectory() || (readdirSync(out).length > 0 && !existsSync(resolve(out, 'voidscope-model.json'))))) {
      throw new VoidscopeError('EOPTION', 'exists and is not a voidscope model folder: choose an empty or new folder', { file: a.out });
    }
    const { trainModelFromFiles, writeModel } = await import('../../segmentation/learned/index.js');
    const opts: Parameters<typeof trainModelFromFiles>[2] = { classes: parseClassesArg(a.classes ?? '') };
    if (a.void !== undefined) opts.voidClass = a.void;
    if (a.seed !== undefined) opts.seed = a.seed;
    if (a.hidden !== undefined) opts.hidden = a.hidden;
    if (a.epochs !== undefined) opts.epochs = a.epochs;
    if (a.priorWeight !== undefined) opts.priorWeight = a.priorWeight;
    if (a.page !== undefined) opts.page = a.page;
    if (a.backend !== undefined) opts.backend = a.backend as 'node' | 'wasm' | 'cpu';
    const r = await trainModelFromFiles(a.images, a.labels ?? [], opts);
    const sha = await writeModel(out, r.model);
    if (a.json) {
      const { network: _n, standardise: _s, ...rest } = r.model;
      process.stdout.write(JSON.stringify({ ...rest, sha256: sha, path: out, seconds: r.seconds }, null, 2) + '\n');
    } else process.stdout.write(formatTrainText(r, a.out, sha) + '\n');
  },
};
export default command;
