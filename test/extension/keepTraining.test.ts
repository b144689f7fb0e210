// A training keeps going while other cells are edited (the real worker thread,
// whose scheduler decides it, behind the runner): the edited cell's new result arrives at once, the
// training's steps never go back; an edit of the training itself restarts it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineClient } from '../../extension/engineClient';
import { onlyOtherCellsChanged } from '../../extension/jsonPaths';
import { ScenarioRunner } from '../../extension/runner';
import { longTrainCell, workerThreadClient } from '../helpers/engineWorker';

const scenario = (logit: number, lr: number) =>
  JSON.stringify(
    {
      version: 1,
      cells: [{ type: 'loss', id: 'loss', logits: [logit, 0], target: 0 }, longTrainCell(lr)],
    },
    null,
    2,
  );
const source = (text: string) => ({ uri: 'file:///w/a.ce.json', text, folder: null, root: null });
/** -log softmax([z, 0])[0], computed here. */
const lossOf = (z: number) => Math.log(1 + Math.exp(-z));

describe('onlyOtherCellsChanged', () => {
  const text = scenario(1, 0.1);
  it('is true for an edit inside another cell only', () => {
    expect(onlyOtherCellsChanged(text, scenario(3, 0.1), 1)).toBe(true);
  });
  it('is false for an edit of the kept cell, of a top-level field, or of the cells themselves', () => {
    expect(onlyOtherCellsChanged(text, scenario(1, 0.2), 1)).toBe(false);
    expect(onlyOtherCellsChanged(text, text.replace('"version": 1', '"version": 1, "seed": 3'), 1)).toBe(false);
    expect(onlyOtherCellsChanged(text, text.replace('"id": "loss"', '"id": "other"'), 1)).toBe(false);
    // Layout only (the text is JSON.stringify'd with two-space indents): nothing of the kept cell changed.
    const relaid = text.replace('"version": 1,', '"version": 1,\n\n');
    expect(relaid).not.toBe(text);
    expect(onlyOtherCellsChanged(text, relaid, 1)).toBe(true);
    expect(onlyOtherCellsChanged(text, '{"cells": [', 1)).toBe(false);
  });
});

describe('a running training and edits of other cells', () => {
  let client: EngineClient;
  let runner: ScenarioRunner;
  const progress: number[] = [];
  const results: number[] = [];
  /** Times the training cell (index 1) started: a restart starts it again. */
  let trainingStarts = 0;
  beforeAll(async () => {
    client = await workerThreadClient();
    runner = new ScenarioRunner(client, async () => new Uint8Array());
    runner.onUpdate(({ events }) => {
      for (const e of events) {
        if (e.kind === 'train-progress') progress.push(e.done);
        if (e.kind === 'cell-started' && e.index === 1) trainingStarts++;
        if (e.kind === 'cell-result' && e.result.type === 'loss') results.push(Number(e.result.loss));
      }
    });
  });
  afterAll(() => client.dispose());

  const state = () => runner.state('file:///w/a.ce.json')!;
  const steps = () => state().cells[1]?.train?.done ?? 0;

  it('keeps the training going while another cell is re-evaluated, then restarts it when its own cell changes', async () => {
    void runner.run(source(scenario(1, 0.1)));
    await expect.poll(() => steps(), { timeout: 10_000 }).toBeGreaterThan(200);
    expect(results.at(-1)).toBeCloseTo(lossOf(1), 6);

    const before = steps();
    progress.length = 0;
    const starts = trainingStarts;
    void runner.run(source(scenario(3, 0.1)));
    await expect.poll(() => results.at(-1), { timeout: 5000 }).toBeCloseTo(lossOf(3), 6);
    await expect.poll(() => steps(), { timeout: 5000 }).toBeGreaterThan(before + 100);
    // Never back to the start: the same training went on.
    expect(Math.min(...progress)).toBeGreaterThanOrEqual(before);
    expect(trainingStarts).toBe(starts);
    expect(state().cells[1].status).toBe('running');
    expect(state().cells[0].status).toBe('ok');
    expect(state().finished).toBe(false);

    // Its own cell edited: it starts again (from step 0: its first report counts the steps since).
    const restartsBefore = trainingStarts;
    void runner.run(source(scenario(3, 0.2)));
    await expect.poll(() => trainingStarts, { timeout: 10_000 }).toBe(restartsBefore + 1);

    // Stop ends it, cancelled, with the training marked stopped.
    runner.stop();
    await expect.poll(() => state().finished, { timeout: 5000 }).toBe(true);
    expect(state().cancelled).toBe(true);
    expect(state().cells[1].status).toBe('stopped');
  });

  it("answers for an edited cell while the training after it goes on: a drag's next value does not wait for it", async () => {
    await runner.runUntilAnswered(source(scenario(5, 0.1)), 0);
    expect(results.at(-1)).toBeCloseTo(lossOf(5), 6);
    expect(state().finished).toBe(false);
    expect(state().cells[1].status).toBe('running');
    runner.stop();
    await expect.poll(() => state().finished, { timeout: 5000 }).toBe(true);
  });

  it('Stop while a training runs beside an edit ends both, cancelled', async () => {
    void runner.run(source(scenario(1, 0.1)));
    await expect.poll(() => steps() > 100 && state().cells[1]?.status === 'running', { timeout: 5000 }).toBe(true);
    void runner.run(source(scenario(2, 0.1)));
    await expect.poll(() => results.at(-1), { timeout: 5000 }).toBeCloseTo(lossOf(2), 6);
    runner.stop();
    await expect.poll(() => state().finished, { timeout: 5000 }).toBe(true);
    expect(state().cancelled).toBe(true);
    expect(state().cells.map((c) => c.status)).toEqual(['ok', 'stopped']);
    expect(runner.runningUri).toBeNull();
  });
});
