// The example model files, written without PyTorch or numpy: the logits a small
// classifier might output for 8 samples of 5 classes, and their labels, as
// examples/data/model-logits.safetensors and (the same arrays) examples/data/model-outputs.npz.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import { npyBytes } from '../../core/npyWrite';
import { MT19937 } from '../../core/random';
import { safetensorsBytes } from '../../core/safetensorsWrite';

const SAMPLES = 8;
const CLASSES = 5;
const generator = new MT19937(2024);
const labels = Array.from({ length: SAMPLES }, () => generator.nextInt(CLASSES));
// A confident-ish model: the true class gets a bump, two samples are confidently wrong.
const logits = labels.flatMap((label, n) =>
  Array.from({ length: CLASSES }, (_, c) => Math.fround(generator.nextNormal() + (c === (n < 6 ? label : (label + 1) % CLASSES) ? 2.5 : 0))),
);

const dataDir = path.resolve('examples', 'data');
writeFileSync(
  path.join(dataDir, 'model-logits.safetensors'),
  safetensorsBytes(
    { logits: { dtype: 'F32', shape: [SAMPLES, CLASSES], values: logits }, labels: { dtype: 'I64', shape: [SAMPLES], values: labels } },
    { format: 'pt', written_by: 'scripts/exampleData/writeExampleData.ts' },
  ),
);
// What numpy.savez writes: a zip of .npy files, stored (savez_compressed would deflate them).
const npz = zipSync(
  { 'logits.npy': npyBytes('<f4', [SAMPLES, CLASSES], logits), 'labels.npy': npyBytes('<i8', [SAMPLES], labels) },
  { level: 0, mtime: new Date('2024-01-01T00:00:00Z') },
);
writeFileSync(path.join(dataDir, 'model-outputs.npz'), npz);
console.log('wrote examples/data/model-logits.safetensors and examples/data/model-outputs.npz');
