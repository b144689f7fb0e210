// The CLI's readable output: one block per cell.
import { assertNever } from '../core/assertNever';
import { describePath } from '../core/scenario/problems';
import type { CellResult, LossResult, Nested, StreamedLoss, SweepResult, TrainResult } from '../core/results';
import { classNames } from '../core/view/classNames';
import { printable } from './terminalText';

const fmt = (v: number, digits = 6) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));
const nested = (v: Nested): string => (Array.isArray(v) ? `[${v.map(nested).join(', ')}]` : fmt(v, 4));
const pad = (s: string, n: number) => s.padEnd(n);

/** A cell's calibration: the figures at its temperature and at the fitted one. */
function calibrationLines(r: LossResult): string[] {
  const c = r.calibration;
  if (!c) return r.view.calibrationAbsent ? [`  calibration: not shown. ${r.view.calibrationAbsent}`] : [];
  const t = c.temperature;
  return [
    `  calibration (${c.bins} bins, ${c.rows} rows): ECE ${fmt(c.ece)}   MCE ${fmt(c.mce)}   Brier ${fmt(c.brier)}   NLL ${fmt(c.nll)}   accuracy ${fmt(c.accuracy, 4)}`,
    `  fitted temperature ${fmt(t.fitted)}${t.bounded ? ' (an end of the searched range)' : ''}: NLL ${fmt(t.nll)}   ECE ${fmt(t.ece)}`,
  ];
}

function lossLines(r: LossResult): string[] {
  return [...lossFigureLines(r), ...calibrationLines(r)];
}

function lossFigureLines(r: LossResult): string[] {
  const { normalisation: norm, targetIndex, ignored } = r.view;
  const classes = classNames(r.view);
  const how = norm.reduction === 'mean' ? `mean: ÷ ${fmt(norm.divisor ?? NaN, 4)} over ${norm.counted} of ${norm.elements} targets` : norm.reduction;
  const lines = [`  loss = ${typeof r.loss === 'number' ? fmt(r.loss) : nested(r.loss)}   (${how})`];
  const C = classes.length;
  const elements = norm.elements;
  if (r.streamed) return [...lines, ...streamedLines(r.streamed)];
  if (elements <= 20 && r.view.shape.length <= 2 && r.probs) {
    const perSample = [r.per_sample].flat(Infinity as 1) as number[];
    const probs = r.probs.data;
    lines.push(`  ${pad('sample', 8)}${pad('target', 12)}${pad('loss', 12)}p(target)`);
    perSample.forEach((loss, e) => {
      const t = targetIndex ? targetIndex[e] : null;
      const label = ignored[e] ? 'ignored' : t === null ? 'soft' : (classes[t] ?? String(t));
      const p = t === null || ignored[e] ? '' : fmt(probs[e * C + t], 4);
      lines.push(`  ${pad(String(e), 8)}${pad(label, 12)}${pad(fmt(loss), 12)}${p}`);
    });
  } else {
    lines.push(`  ${elements} elements; per-element losses in --json output`);
  }
  return lines;
}

/** A streamed cell's figures, its worst elements and most confused pairs. */
function streamedLines(streamed: StreamedLoss): string[] {
  const s = streamed.stats;
  const percent = (v: number) => `${(100 * v).toFixed(2)}%`;
  const lines = [
    `  ${streamed.file}: ${s.elements.toLocaleString('en-US')} elements streamed, ${s.counted.toLocaleString('en-US')} counted`,
    `  accuracy ${percent(s.accuracy)}   top-5 ${percent(s.top5_accuracy)}   mean entropy ${fmt(s.mean_entropy, 4)} nats   perplexity ${fmt(s.perplexity, 3)}`,
  ];
  if (s.worst.length) {
    lines.push(
      `  worst elements:`,
      `  ${pad('element', 10)}${pad('target', 16)}${pad('loss', 12)}${pad('p(target)', 12)}${pad('rank', 7)}top classes`,
    );
    for (const w of s.worst) {
      const top = w.top.names.map((name, i) => `${JSON.stringify(name)} ${fmt(w.top.probs[i], 3)}`).join(', ');
      lines.push(
        `  ${pad(String(w.element), 10)}${pad(JSON.stringify(w.targetName), 16)}${pad(fmt(w.loss, 4), 12)}${pad(fmt(w.p_target, 6), 12)}${pad(String(w.rank + 1), 7)}${top}`,
      );
    }
  }
  if (s.confused.length) {
    lines.push(`  most confused (target → predicted):`);
    for (const c of s.confused) lines.push(`  ${c.count}×  ${JSON.stringify(c.targetName)} → ${JSON.stringify(c.predictedName)}`);
  }
  return lines;
}

function sweepLines(r: SweepResult): string[] {
  const every = Math.max(1, Math.ceil(r.values.length / 10));
  return r.values
    .map(
      (v, i) =>
        `  ${r.param} = ${fmt(v, 4)}  loss ${nested(r.loss[i])}${r.grad ? `  grad ${fmt(r.grad[i])}` : ''}${r.ece ? `  ECE ${fmt(r.ece[i])}` : ''}`,
    )
    .filter((_, i) => i % every === 0 || i === r.values.length - 1);
}

function trainLines(r: TrainResult): string[] {
  const every = Math.max(1, Math.ceil(r.losses.length / 10));
  const lines = r.losses
    .map((l, s) => `  step ${pad(String(s), 6)} loss ${fmt(l)}  accuracy ${fmt(r.accuracy[s], 3)}`)
    .filter((_, s) => s % every === 0 || s === r.losses.length - 1);
  return lines;
}

function cellLines(r: CellResult): string[] {
  const head = `${r.ok ? '✓' : '✗'} ${r.id} (${r.type})${r.title ? ` — ${r.title}` : ''}`;
  if (!r.ok) return [head, `  error at ${describePath(r.error.path)}: ${r.error.message}`];
  const warnings = 'warnings' in r ? r.warnings.map((w) => `  warning at ${describePath(w.path)}: ${w.message}`) : [];
  switch (r.type) {
    case 'markdown':
      return [head];
    case 'loss':
      return [head, ...lossLines(r), ...warnings];
    case 'sweep':
      return [head, ...sweepLines(r), ...warnings];
    case 'train':
      return [head, ...trainLines(r), ...warnings];
    default:
      return assertNever(r, 'cell result');
  }
}

/** The first line of the summary. */
export function heading(title: string, dtype: string, kernels: string | undefined): string {
  return `${printable(title)} (${dtype}${kernels ? `, ${kernels} kernels` : ''})\n`;
}

/** One cell's block, after a blank line; text from the scenario is escaped for the terminal. */
export function cellBlock(result: CellResult): string {
  return `\n${cellLines(result).map(printable).join('\n')}\n`;
}
