// npm run bench:real: CE Lab's CLI against a PyTorch script on real-size model
// outputs, end to end (start, load, loss), in the same run, alternating:
//   a 50,000 × 1,000 float32 .npy (an ImageNet validation set's outputs, 200 MB), plain and with label smoothing;
//   a 4,096 × 50,257 BF16 .safetensors (four 1,024-token sequences over GPT-2's vocabulary, 412 MB);
//   and the ImageNet file calibrated (figures and fitted temperature; the peer runs the generated script's own
//   PyTorch calibration code). The loss cases turn calibration off, so both sides do the same work.
// The files are written from a seed (scripts/realSize/writeRealSizeData.mjs) into the cache once.
//   npm run bench:real -- [--seed S] [--runs R]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { writeImagenet, writeImagenetScenarios, writeLanguageModel, writeLanguageModelScenarios } from './realSize/writeRealSizeData.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const seed = Number(option('--seed', '20261207'));
const runs = Number(option('--runs', '3'));
const PYTHON = '/usr/bin/python3';

const cache = process.env.CE_LAB_CACHE ?? path.join(homedir(), '.cache', 'ce-lab');
const dir = path.join(cache, `real-size-${seed}`);
if (!existsSync(path.join(dir, 'lm.ce.json'))) {
  process.stderr.write(`writing the real-size files into ${dir} (once; about 30 s)\n`);
  mkdirSync(dir, { recursive: true });
  writeImagenet(dir, seed);
  writeLanguageModel(dir, seed);
}
writeImagenetScenarios(dir);
writeLanguageModelScenarios(dir);
execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
// The generated script's calibration function, as the peer's code.
const { code } = esbuild.transformSync(readFileSync('core/pytorch/calibrationCode.ts', 'utf8'), { loader: 'ts', format: 'esm' });
const { CALIBRATION_FUNCTION } = await import(`data:text/javascript,${encodeURIComponent(code)}`);
const calibrationPy = path.join(dir, 'calibration.py');
writeFileSync(calibrationPy, `${CALIBRATION_FUNCTION}\n`);

const measure = (command) =>
  JSON.parse(
    execFileSync(PYTHON, ['scripts/realSize/measure.py', ...command], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      env: { ...process.env, CALIBRATION_PY: calibrationPy },
    }),
  );
const ceLab = (scenario) => {
  const run = measure([process.execPath, 'dist/cli.js', 'run', scenario, '--json']);
  const cell = JSON.parse(run.stdout).cells[0];
  if (!cell.ok) throw new Error(`${scenario}: ${cell.error.message}`);
  return { ...run, loss: cell.loss, ece: cell.calibration?.ece, fitted: cell.calibration?.temperature.fitted };
};
const torch = (scenario) => {
  const run = measure([PYTHON, 'scripts/realSize/torchLoss.py', scenario]);
  return { ...run, ...JSON.parse(run.stdout) };
};
const close = (a, b) => a === b || Math.abs(a - b) <= 2e-6 * Math.abs(b) + 1e-6;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const name of ['imagenet', 'imagenet-smoothed', 'lm', 'imagenet-calibrated']) {
  const scenario = path.join(dir, `${name}.ce.json`);
  const ours = [];
  const theirs = [];
  for (let r = 0; r < runs; r++) {
    ours.push(ceLab(scenario));
    theirs.push(torch(scenario));
  }
  const loss = { ceLab: ours[0].loss, torch: theirs[0].loss };
  // Calibration in float64 on both sides: the ECE and the fitted T agree too.
  const agree = close(loss.ceLab, loss.torch) && close(ours[0].ece, theirs[0].ece) && close(ours[0].fitted, theirs[0].fitted);
  rows.push({
    name,
    loss,
    agree,
    ceLab: { wall_s: median(ours.map((o) => o.wall_s)), peak_rss_mb: Math.max(...ours.map((o) => o.peak_rss_mb)) },
    torch: { wall_s: median(theirs.map((o) => o.wall_s)), peak_rss_mb: Math.max(...theirs.map((o) => o.peak_rss_mb)) },
  });
  if (ours[0].ece !== undefined)
    console.log(`${name}: ECE ${ours[0].ece} / ${theirs[0].ece}, fitted T ${ours[0].fitted} / ${theirs[0].fitted} (CE Lab / PyTorch)`);
}

const fmt = (v, digits = 2) => v.toFixed(digits);
console.log(`\nReal-size files, end to end (process start, load, loss), median of ${runs} alternating runs, seed ${seed}`);
console.log('case                 | loss CE Lab | loss PyTorch | CE Lab wall | PyTorch wall | speed | CE Lab RSS | PyTorch RSS | memory');
console.log('---------------------|-------------|--------------|-------------|--------------|-------|------------|-------------|-------');
for (const r of rows) {
  console.log(
    [
      r.name.padEnd(20),
      ` ${fmt(r.loss.ceLab, 6).padEnd(11)}`,
      ` ${fmt(r.loss.torch, 6).padEnd(12)}${r.agree ? '' : ' ✗'}`,
      ` ${fmt(r.ceLab.wall_s)} s`.padEnd(13),
      ` ${fmt(r.torch.wall_s)} s`.padEnd(14),
      ` ${fmt(r.torch.wall_s / r.ceLab.wall_s)}×`.padEnd(7),
      ` ${fmt(r.ceLab.peak_rss_mb, 0)} MB`.padEnd(12),
      ` ${fmt(r.torch.peak_rss_mb, 0)} MB`.padEnd(13),
      ` ${fmt(r.torch.peak_rss_mb / r.ceLab.peak_rss_mb)}×`,
    ].join('|'),
  );
}
console.log('speed, memory: PyTorch ÷ CE Lab (above 1: CE Lab is faster, smaller)');
if (rows.some((r) => !r.agree)) {
  console.error('The losses disagree (✗)');
  process.exitCode = 1;
}
