// The panel tests replay recorded engine events as the host sends them to the
// panel (test/webview/fixtures/*.json: panelEvent of each, no N×C tensors).
// Each recording must still be what the engine gives for its scenario today, so
// a change in the engine cannot leave the panel tested against stale numbers.
// Re-record with: node scripts/record-events.mjs SCENARIO.ce.json test/webview/fixtures/NAME.json
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateScenario } from '../../core/evaluate';
import type { PanelEvent as EngineEvent } from '../../core/events';
import { panelEvent } from '../../core/panelResults';
import { decodeNonFinite } from '../helpers/golden';

const root = join(__dirname, '../..');
const dir = join(root, 'test/webview/fixtures');
const recordings = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.ce.json'));

type Progress = Extract<EngineEvent, { kind: 'train-progress' }>;
const isProgress = (e: EngineEvent): e is Progress => e.kind === 'train-progress';

describe('recorded panel fixtures match the engine', () => {
  it('there are recordings to check', () => expect(recordings.length).toBeGreaterThan(0));

  it.each(recordings)('%s', async (name) => {
    const recording = decodeNonFinite<{ source: string; events: EngineEvent[] }>(JSON.parse(readFileSync(join(dir, name), 'utf8')));
    const scenarioPath = /^recorded from (\S+) by scripts\/record-events\.mjs$/.exec(recording.source)?.[1];
    expect(scenarioPath, `the fixture's "source" names its scenario`).toBeDefined();
    const events: EngineEvent[] = [];
    const text = readFileSync(join(root, scenarioPath!), 'utf8');
    for await (const event of evaluateScenario(text, { progressIntervalMs: 0, defaultTitle: basename(scenarioPath!) }))
      events.push(panelEvent(event));
    // Through JSON as the recording was (which writes -0 as 0 and non-finite numbers as strings).
    const fresh = decodeNonFinite<EngineEvent[]>(
      JSON.parse(JSON.stringify(events, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))),
    );

    // How training progress is batched depends on the clock; everything else is exact.
    expect(recording.events.filter((e) => !isProgress(e))).toEqual(fresh.filter((e) => !isProgress(e)));

    // Each recorded progress batch is the run's own steps [done - k, done).
    for (const progress of recording.events.filter(isProgress)) {
      const result = fresh.find((e) => e.kind === 'cell-result' && e.index === progress.index);
      if (result?.kind !== 'cell-result' || result.result.type !== 'train') throw new Error(`no training result for cell ${progress.index}`);
      const from = progress.done - progress.losses.length;
      expect(progress.losses).toEqual(result.result.losses.slice(from, progress.done));
      expect(progress.accuracy).toEqual(result.result.accuracy.slice(from, progress.done));
      const atSameStep = fresh.filter(isProgress).find((e) => e.index === progress.index && e.done === progress.done);
      expect(progress.boundary).toEqual(atSameStep?.boundary);
    }
  });
});
