import type { EngineEvent } from '../../core/events';
import type { CellHeader } from '../../core/results';

/** The `scenario` event that starts a run of a float32 file titled "t" with these cells ([id, type], in order). */
export const scenarioEvent = (cells: [id: string, type: CellHeader['type']][]): EngineEvent => ({
  kind: 'scenario',
  title: 't',
  dtype: 'float32',
  cells: cells.map(([id, type], index) => ({ index, id, type })),
});
