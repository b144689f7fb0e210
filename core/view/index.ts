// The engine as the panel and the notebook renderer (webview/) see it: the run
// state and results they draw, and the small pure helpers they call. webview/
// imports core/ through here and through the message contract (core/protocol.ts,
// core/channel.ts) only, so the engine's internals can change without reaching
// the panel; eslint.config.mjs enforces it.

// A run's state, folded from the events the host forwards, and the results its cells hold.
export { applyEvent, emptyRunState, type PanelCellState, type PanelRunState } from '../runState';
export type { PanelEvent } from '../events';
export type {
  Calibration,
  CellType,
  DecisionGrid,
  JsonPath,
  LossView,
  Nested,
  Normalisation,
  PanelLossResult,
  Problem,
  ReliabilityBin,
  RowDetail,
  RowsPage,
  StreamedLoss,
  TrainResult,
} from '../results';
// A notebook cell's output, as the renderer receives it.
export { decodeCellOutput, type CellOutput } from '../notebook/cellOutput';

// A loss cell's elements: where each sits in (N, C, d1…dk), what is read off its row, its classes' names.
export { elementCount, layoutOf, type ClassLayout } from '../compute/layout';
export { readElement, wholeRow, type ElementReading } from './elementReading';
export { classNames } from './classNames';
export { VIEW_MAX_CLASSES } from './bounds';

// A training's step axis, bucketed as the host thins it.
export { bucketOf, isLogAxis } from './curveBuckets';

// Messages: a problem's place in the scenario, anything thrown, a case a switch missed.
export { describePath } from '../scenario/problems';
export { messageOf } from '../errorMessage';
export { assertNever } from '../assertNever';
