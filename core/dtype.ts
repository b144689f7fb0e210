// float32 is emulated by rounding every operation's result to the nearest
// float32 (Math.fround), which is what an IEEE float32 unit does per op.
import type { Dtype } from './results';

export type Round = (x: number) => number;

const identity: Round = (x) => x;

export function rounding(dtype: Dtype): Round {
  return dtype === 'float32' ? Math.fround : identity;
}

export function roundAll(values: Float64Array, round: Round): Float64Array {
  if (round !== identity) for (let i = 0; i < values.length; i++) values[i] = round(values[i]);
  return values;
}
