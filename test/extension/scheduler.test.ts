// The worker's scheduler over a fake engine whose runs the test drives: what a newer
// text supersedes, what goes on beside it, and that each document's stream ends each
// run with exactly one `done`.
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../core/events';
import type { RunRequest } from '../../core/protocol';
import type { CellSuccess } from '../../core/results';
import { type EngineRun, Scheduler } from '../../extension/worker/scheduler';
import { scenarioEvent } from '../helpers/scenarioEvent';

/** One engine run the test feeds: its events wait until pushed; an abort ends it with a cancelled `done`, as the engine does. */
class FakeRun {
  private readonly queue: (EngineEvent | Error | null)[] = [];
  private wake: (() => void) | null = null;
  /** `slowToStop`: an abort does not end it; the test does, as an engine deep in one block would. */
  constructor(
    readonly run: EngineRun,
    slowToStop = false,
  ) {
    if (!slowToStop) run.signal.addEventListener('abort', () => this.push({ kind: 'done', cancelled: true }, null));
  }
  push(...items: (EngineEvent | Error | null)[]): void {
    this.queue.push(...items);
    this.wake?.();
  }
  /** Its events so far, then the end (null) or a throw (an Error). */
  async *events(): AsyncIterable<EngineEvent> {
    for (;;) {
      while (this.queue.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
      const item = this.queue.shift()!;
      if (item === null) return;
      if (item instanceof Error) throw item;
      yield item;
    }
  }
}

function harness(slowToStop = false) {
  const runs: FakeRun[] = [];
  const emitted: { uri: string; events: EngineEvent[] }[] = [];
  const scheduler = new Scheduler({
    evaluate: (run) => {
      const fake = new FakeRun(run, slowToStop);
      runs.push(fake);
      return fake.events();
    },
    emit: (uri, events) => emitted.push({ uri, events }),
  });
  /** The events `uri` was sent, flattened. */
  const of = (uri: string) => emitted.filter((e) => e.uri === uri).flatMap((e) => e.events);
  const dones = (uri: string) => of(uri).filter((e) => e.kind === 'done');
  /** Starts text(1, 0.1) and feeds it until its loss cell has a result and its training is under way; the run's promise. */
  const trainingUnderway = async () => {
    const main = scheduler.run(request(text(1, 0.1)));
    await settle();
    runs[0].push(cells, started(0, 'a'), lossResult(1), started(1, 't'), progress(10));
    await settle();
    return { main };
  };
  return { scheduler, runs, of, dones, trainingUnderway };
}

/** A loss cell `a` (logit `z`) and a train cell `t` (learning rate `lr`). */
const text = (z: number, lr: number) =>
  JSON.stringify(
    {
      version: 1,
      cells: [
        { type: 'loss', id: 'a', logits: [z, 0], target: 0 },
        { type: 'train', id: 't', steps: 1e6, optimizer: { lr } },
      ],
    },
    null,
    2,
  );
const request = (t: string, uri = 'file:///a.ce.json', cellId?: string): RunRequest => ({ uri, text: t, ...(cellId ? { cellId } : {}) });
const started = (index: number, id: string): EngineEvent => ({ kind: 'cell-started', index, id });
const lossResult = (z: number): EngineEvent => ({
  kind: 'cell-result',
  index: 0,
  result: { id: 'a', type: 'loss', ok: true, loss: z } as unknown as CellSuccess,
});
const trainResult: EngineEvent = { kind: 'cell-result', index: 1, result: { id: 't', type: 'train', ok: true } as unknown as CellSuccess };
const progress = (done: number): EngineEvent => ({
  kind: 'train-progress',
  index: 1,
  id: 't',
  done,
  steps: 1e6,
  losses: [1],
  accuracy: [0],
  boundary: null,
});
const cells = scenarioEvent([
  ['a', 'loss'],
  ['t', 'train'],
]);
/** Lets the scheduler's async loops take what was pushed. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Scheduler', () => {
  it('runs one document after another: a newer text supersedes the run in flight, which ends stopped, and starts once it has ended', async () => {
    const { scheduler, runs, of, dones } = harness();
    const first = scheduler.run(request(text(1, 0.1)));
    await settle();
    runs[0].push(cells, started(0, 'a'));
    await settle();
    const second = scheduler.run(request(text(2, 0.1)));
    expect(await first).toBe('superseded');
    expect(runs[0].run.signal.aborted).toBe(true);
    await settle();
    expect(runs).toHaveLength(2);
    runs[1].push(cells, started(0, 'a'), lossResult(2), { kind: 'done', cancelled: false }, null);
    expect(await second).toBe('finished');
    // The superseded run said `done` once (stopped), the new one once; the old run's own cancelled done was dropped.
    expect(dones('file:///a.ce.json')).toEqual([
      { kind: 'done', cancelled: true },
      { kind: 'done', cancelled: false },
    ]);
    expect(of('file:///a.ce.json').filter((e) => e.kind === 'cell-result')).toEqual([lossResult(2)]);
  });

  it('keeps a training an edit leaves alone going: the other cells run beside it, and the document ends once, not cancelled', async () => {
    const { scheduler, runs, of, dones, trainingUnderway } = harness();
    const { main } = await trainingUnderway();
    const beside = scheduler.run(request(text(3, 0.1)));
    await settle();
    expect(runs).toHaveLength(2);
    expect(runs[1].run.skipCellIds).toEqual(['t']);
    expect(runs[0].run.signal.aborted).toBe(false);
    // The run beside reports the other cells; its `scenario` event would reset the training's progress and is not passed on.
    runs[1].push(cells, started(0, 'a'), lossResult(3), { kind: 'done', cancelled: false }, null);
    expect(await beside).toBe('finished');
    // The first run goes on for its training only: a late result of the other cell is not passed on.
    runs[0].push(progress(20), lossResult(1), trainResult);
    await settle();
    expect(runs[0].run.signal.aborted).toBe(true); // it stopped itself after the training
    expect(await main).toBe('finished');
    const events = of('file:///a.ce.json');
    expect(events.filter((e) => e.kind === 'scenario')).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'cell-result')).toEqual([lossResult(1), lossResult(3), trainResult]);
    expect(events.filter((e) => e.kind === 'train-progress').map((e) => (e as { done: number }).done)).toEqual([10, 20]);
    expect(dones('file:///a.ce.json')).toEqual([{ kind: 'done', cancelled: false }]);
    expect(scheduler.state('file:///a.ce.json')?.cells.map((c) => c.status)).toEqual(['ok', 'ok']);
  });

  it('restarts the training when the edit touches its cell, and Stop ends a training and its run beside, cancelled', async () => {
    const { scheduler, runs, dones, trainingUnderway } = harness();
    await trainingUnderway();
    void scheduler.run(request(text(1, 0.2)));
    await settle();
    expect(runs[0].run.signal.aborted).toBe(true);
    expect(runs[1].run.skipCellIds).toBeUndefined();
    runs[1].push(cells, started(0, 'a'), lossResult(1), started(1, 't'), progress(5));
    await settle();
    void scheduler.run(request(text(4, 0.2)));
    await settle();
    expect(runs[2].run.skipCellIds).toEqual(['t']);
    scheduler.stop();
    await settle();
    expect(runs[1].run.signal.aborted && runs[2].run.signal.aborted).toBe(true);
    expect(dones('file:///a.ce.json')).toEqual([
      { kind: 'done', cancelled: true }, // the first run, superseded
      { kind: 'done', cancelled: true }, // the training and its run beside, stopped: one done
    ]);
    expect(scheduler.state('file:///a.ce.json')?.cells.map((c) => c.status)).toEqual(['ok', 'stopped']);
  });

  it("a one-cell run keeps the other cells' results, and another document's run leaves this one stopped, not running", async () => {
    const { scheduler, runs, of } = harness();
    void scheduler.run(request(text(1, 0.1)));
    await settle();
    runs[0].push(cells, started(0, 'a'), lossResult(1), { kind: 'done', cancelled: false }, null);
    await settle();
    void scheduler.run(request(text(1, 0.1), 'file:///a.ce.json', 't'));
    await settle();
    runs[1].push(cells, started(1, 't'), progress(3));
    await settle();
    expect(of('file:///a.ce.json').filter((e) => e.kind === 'scenario')).toHaveLength(1);
    expect(scheduler.state('file:///a.ce.json')?.cells.map((c) => c.status)).toEqual(['ok', 'running']);
    // The same text in another document is not an edit of this one: it supersedes.
    void scheduler.run(request(text(1, 0.1), 'file:///b.ce.json'));
    await settle();
    expect(runs[1].run.signal.aborted).toBe(true);
    expect(scheduler.state('file:///a.ce.json')?.cells.map((c) => c.status)).toEqual(['ok', 'stopped']);
  });

  it('an engine that throws fails the cells it was running with why, ends the run, and the next run still starts', async () => {
    const { scheduler, runs, dones } = harness();
    const failing = scheduler.run(request(text(1, 0.1)));
    await settle();
    runs[0].push(cells, started(0, 'a'), new Error('kernel bug'));
    await expect(failing).rejects.toThrow('kernel bug');
    const cell = scheduler.state('file:///a.ce.json')?.cells[0];
    expect(cell?.status).toBe('failed');
    expect(cell?.result).toMatchObject({ ok: false, error: { message: 'The engine failed: kernel bug', path: ['cells', 0] } });
    expect(dones('file:///a.ce.json')).toEqual([{ kind: 'done', cancelled: true }]);
    const next = scheduler.run(request(text(1, 0.1)));
    await settle();
    runs[1].push(cells, { kind: 'done', cancelled: false }, null);
    expect(await next).toBe('finished');
  });

  it("waits for every part of the runs it supersedes, the training's and the one beside it, before it starts", async () => {
    const { scheduler, runs, trainingUnderway } = harness(true);
    await trainingUnderway();
    void scheduler.run(request(text(2, 0.1)));
    await settle();
    expect(runs[1].run.skipCellIds).toEqual(['t']);
    void scheduler.run(request(text(1, 0.1), 'file:///b.ce.json'));
    await settle();
    expect(runs[0].run.signal.aborted && runs[1].run.signal.aborted).toBe(true);
    runs[0].push(null);
    await settle();
    expect(runs).toHaveLength(2);
    runs[1].push(null);
    await settle();
    expect(runs).toHaveLength(3);
    expect(runs[2].run.request.uri).toBe('file:///b.ce.json');
  });

  it('a run stopped while it waited its turn ends without running', async () => {
    const { scheduler, runs, dones } = harness();
    void scheduler.run(request(text(1, 0.1)));
    await settle();
    runs[0].push(cells, started(0, 'a'));
    const queued = scheduler.run(request(text(2, 0.1), 'file:///b.ce.json'));
    scheduler.stop();
    expect(await queued).toBe('finished');
    expect(runs).toHaveLength(1);
    expect(dones('file:///b.ce.json')).toEqual([{ kind: 'done', cancelled: true }]);
  });
});
