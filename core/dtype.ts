// Scalar float32 arithmetic: rounding an operation's result to the nearest
// float32 (Math.fround) is what an IEEE float32 unit does per op.
import type { Dtype } from './results';

export type Round = (x: number) => number;

const identity: Round = (x) => x;

export function rounding(dtype: Dtype): Round {
  return dtype === 'float32' ? Math.fround : identity;
}
