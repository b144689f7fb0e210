// One engine run seen from the notebook: the executions of the cells it runs,
// fed from the runner's events. A cell's execution starts when the engine
// starts it, its output follows its training or sweep (at most one replacement
// per THROTTLE_MS), and it ends with its result, its error, or the run's end.
import * as vscode from 'vscode';
import type { EngineEvent } from '../../core/events';
import type { RunState } from '../../core/runState';
import { Coalescer } from '../coalescer';
import type { ScenarioRunner, ScenarioSource } from '../runner';
import { cellOutputs, problemOutput, syntaxOutput } from './cellOutputs';

/** Streamed outputs replace themselves at most this often: a long training must not flood the renderer. */
const THROTTLE_MS = 100;

interface Tracked {
  execution: vscode.NotebookCellExecution;
  started: boolean;
  ended: boolean;
  /** The output this run shows: a streaming update replaces its items, so the renderer redraws its charts in place. */
  output?: vscode.NotebookCellOutput;
}

export class CellRun {
  private readonly tracked = new Map<number, Tracked>();
  private readonly streaming = new Coalescer<number>(THROTTLE_MS, (indexes) => new Set(indexes).forEach((i) => this.show(i)));

  /** `cells`: the scenario index of each notebook cell this run executes. */
  constructor(
    private readonly runner: ScenarioRunner,
    private readonly source: ScenarioSource,
    cells: { index: number; execution: vscode.NotebookCellExecution }[],
    private readonly nextOrder: () => number,
  ) {
    for (const { index, execution } of cells) {
      this.tracked.set(index, { execution, started: false, ended: false });
      execution.token.onCancellationRequested(() => runner.stop());
    }
  }

  /** Runs the whole scenario, or cell `cellId` of it; resolves when every execution has ended. */
  async run(cellId?: string): Promise<RunState> {
    const off = this.runner.onUpdate(({ uri, events }) => uri === this.source.uri && events.forEach((e) => this.handle(e)));
    try {
      const state = await this.runner.run(this.source, cellId);
      this.finish(state);
      return state;
    } finally {
      off();
      this.streaming.clear();
    }
  }

  private handle(event: EngineEvent): void {
    switch (event.kind) {
      case 'cell-started':
        this.start(event.index);
        break;
      case 'train-progress':
      case 'sweep-point':
      case 'cell-progress':
        if (this.tracked.has(event.index)) this.streaming.push(event.index);
        break;
      case 'cell-result':
        this.show(event.index);
        // A streamed cell's loss comes first, then its result again with its calibration.
        if (!(event.result.type === 'loss' && event.result.view.calibrating)) this.end(event.index, true);
        break;
      case 'cell-failed':
        this.show(event.index);
        this.end(event.index, false);
        break;
      default:
        break;
    }
  }

  private start(index: number): Tracked | undefined {
    const t = this.tracked.get(index);
    if (t && !t.started) {
      t.started = true;
      t.execution.executionOrder = this.nextOrder();
      t.execution.start(Date.now());
      void t.execution.clearOutput();
    }
    return t;
  }

  private show(index: number): void {
    const state = this.runner.state(this.source.uri);
    const cell = state?.cells[index];
    const t = this.tracked.get(index);
    if (!state || !cell || !t || t.ended) return;
    this.start(index);
    const [output] = cellOutputs(cell, index, state.dtype);
    const sameKind = t.output && t.output.items[0]?.mime === output.items[0]?.mime;
    if (t.output && sameKind) void t.execution.replaceOutputItems(output.items, t.output);
    else void t.execution.replaceOutput((t.output = output));
  }

  private end(index: number, ok: boolean | undefined): void {
    const t = this.start(index);
    if (!t || t.ended) return;
    t.ended = true;
    t.execution.end(ok, Date.now());
  }

  /** The run is over: what did not end with a result ends now, with the file's error, the syntax error, or what it had streamed. */
  private finish(state: RunState): void {
    this.streaming.clear();
    const syntax = this.runner.syntaxError(this.source.uri);
    for (const [index, t] of this.tracked) {
      if (t.ended) continue;
      this.start(index);
      if (syntax) void t.execution.replaceOutput(syntaxOutput(syntax));
      else if (state.fileError) void t.execution.replaceOutput(problemOutput(state.fileError));
      else this.show(index);
      const cell = state.cells[index];
      this.end(
        index,
        syntax || state.fileError
          ? false
          : cell?.status === 'ok'
            ? true
            : cell?.status === 'failed' || cell?.status === 'stopped'
              ? false
              : undefined,
      );
    }
  }
}
