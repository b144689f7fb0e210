// Which problems of a run belong in the editor, and where: pure, so the
// path -> range mapping is unit-tested on plain text.
import type { Problem } from '../core/results';
import type { RunState } from '../core/runState';
import { locateCells, spanOfKey, spanOfPath, type Span } from './jsonPaths';

type Severity = 'error' | 'warning';

export interface LocatedProblem extends Span {
  message: string;
  severity: Severity;
}

/** A file error alone (the cells are stale then), else every failed cell's error and every warning. */
export function problemsOf(state: RunState): { problem: Problem; severity: Severity }[] {
  if (state.fileError) return [{ problem: state.fileError, severity: 'error' }];
  return state.cells.flatMap((cell): { problem: Problem; severity: Severity }[] => {
    const r = cell.result;
    if (!r) return [];
    if (!r.ok) return [{ problem: r.error, severity: 'error' }];
    return 'warnings' in r ? r.warnings.map((problem) => ({ problem, severity: 'warning' })) : [];
  });
}

/** Places each problem on its JSON value in `text` (or the nearest parent that exists). */
export function locateProblems(text: string, state: RunState): LocatedProblem[] {
  return problemsOf(state).map(({ problem, severity }) => {
    const onKey = problem.at === 'key' ? spanOfKey(text, problem.path) : null;
    const span = onKey ?? spanOfPath(text, problem.path) ?? { offset: 0, length: 0, approximate: true };
    return { ...span, message: problem.message, severity };
  });
}

/** A warning on the `steps` of every train cell longer than `limit` (0: no limit). */
export function longTrainingWarnings(text: string, limit: number): LocatedProblem[] {
  if (!(limit > 0)) return [];
  return locateCells(text).flatMap(({ id, type, steps }) =>
    type === 'train' && steps && steps.value > limit
      ? [{ ...steps, severity: 'warning' as const, message: longTrainingMessage(id, steps.value, limit) }]
      : [],
  );
}

export function longTrainingMessage(id: string, steps: number, limit: number): string {
  return `Train cell "${id}" runs ${steps.toLocaleString('en-US')} steps, more than ceLab.training.warnSteps (${limit.toLocaleString('en-US')}): it streams until done or stopped (Stop in the editor title or the panel).`;
}
