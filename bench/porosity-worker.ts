/** piscina worker for the porosity benchmark: one image per task, the same call the pipeline makes. */
import type { PorosityOptions } from '../src/segmentation/porosity.js';
import { analyzePorosity } from '../src/segmentation/analyze.js';

export default async function run(task: { file: string; options: PorosityOptions }): Promise<{ voidFraction: number; pores: number }> {
  const r = await analyzePorosity(task.file, task.options);
  return { voidFraction: r.voidFraction, pores: r.pores.count };
}
