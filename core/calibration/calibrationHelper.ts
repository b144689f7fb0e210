// A second thread for the calibration passes over a large streamed file
// (Node: node/streamHelper.ts, the same thread as the loss pass's helper): it
// computes the row facts of a share of the blocks into memory both threads
// share, and this thread adds every row up in element order (calibrationSums.ts),
// so the bits are those of one thread.
import type { ClassLayout } from '../compute/layout';
import type { StoredTensor } from '../files/storedTensor';
import type { Block } from '../nn/streamBlocks';
import type { PassHelper } from '../nn/streamedPass';
import type { Dtype } from '../results';
import type { RowFacts } from './rowFacts';

/** One pass's share: the blocks whose rows it computes at `temperature`, into `facts` indexed by element. */
export interface CalibrationShare {
  logits: StoredTensor;
  layout: ClassLayout;
  /** Class index per element, −1 where ignored. */
  classIndex: Int32Array;
  dtype: Dtype;
  temperature: number;
  blocks: Block[];
  facts: RowFacts;
}

export interface CalibrationHelper {
  /** Whether it takes part in a calibration pass over this file of `rows` elements (large enough, its facts small enough). */
  acceptsCalibration(logits: StoredTensor, rows: number): boolean;
  /** Memory the helper's thread shares (a SharedArrayBuffer). */
  share(bytes: number): ArrayBuffer;
  /** Computes the share; the promise settles when it is done (or failed). `cancel` stops it. */
  calibrate(share: CalibrationShare): { done: Promise<void>; cancel(): void };
}

/** The helper a streamed cell's passes may use: the loss pass's, and the calibration passes'. */
export type StreamHelper = PassHelper & CalibrationHelper;
