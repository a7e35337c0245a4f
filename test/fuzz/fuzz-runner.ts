/**
 * Child process of the fuzz harness (harness.ts): runs one reader per message and answers with the
 * outcome. Does nothing unless started by the harness (with an IPC channel).
 */
import { basename } from 'node:path';
import { isVoidscopeError } from '../../src/errors.js';
import type { Outcome, Target } from './harness.js';

async function run(target: Target, file: string): Promise<void> {
  switch (target) {
    case 'image': {
      const { readImage } = await import('../../src/raster/read.js');
      const { readSemMetadata } = await import('../../src/segmentation/metadata/read-sem-metadata.js');
      const img = await readImage(file);
      // readSemMetadata hands the file to geotiff. Integration adds this guard at the top of
      // openTiffTags (src/segmentation/metadata/tiff-tags.ts, owned elsewhere); until then the
      // runner applies it first, exactly as the integrated reader will.
      if (img.format === 'tiff') {
        const { checkTiffFileForGeotiff } = await import('../../src/raster/tiff-structure.js');
        try {
          checkTiffFileForGeotiff(file);
        } catch (e) {
          if (isVoidscopeError(e)) return; // readSemMetadata turns this into a warning
          throw e;
        }
      }
      await readSemMetadata(file, img);
      return;
    }
    case 'sims': {
      const { analyzeSimsMap, listSimsChannels } = await import('../../src/sims/index.js');
      await listSimsChannels(file);
      await analyzeSimsMap(file);
      return;
    }
    case 'ec-table': {
      const { readEcTable } = await import('../../src/pipeline/electrochem.js');
      await readEcTable(file, file);
      return;
    }
    case 'cycling': {
      const { readCyclingFile } = await import('../../src/pipeline/electrochem.js');
      await readCyclingFile(file, file, {}, { retentionCycle: 150, highRate: 1, lowRate: 0.1 });
      return;
    }
    case 'study': {
      const { loadStudyFile } = await import('../../src/pipeline/study.js');
      await loadStudyFile(file);
      return;
    }
  }
}

if (process.send) {
  process.on('message', (m: { target: Target; file: string }) => {
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const reply = (outcome: Outcome): void => {
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      process.send!({ outcome, rssMb: Math.round(peak / 1048576) });
    };
    run(m.target, m.file).then(
      () => reply({ kind: 'ok' }),
      (e: unknown) => {
        if (isVoidscopeError(e)) reply({ kind: 'error', code: e.code, named: e.message.includes(basename(m.file)), message: e.message.slice(0, 300) });
        else reply({ kind: 'unclear', message: e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : String(e).slice(0, 300) });
      },
    );
  });
  // A stray rejection after the answer is a defect to see, not to hide: report it as a crash.
  process.on('unhandledRejection', (e) => {
    process.stderr.write(`unhandled rejection: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`);
    process.exit(70);
  });
}
