// The index of a row's largest entry, as PyTorch's argmax picks it on a tie (the
// first); NaN never wins. One definition for the engine's views and the panel.

/** Over `count` entries row[offset + i·stride] (by default the whole row). */
export function argmax(row: ArrayLike<number>, count = row.length, offset = 0, stride = 1): number {
  let best = 0;
  for (let i = 1; i < count; i++) if (row[offset + i * stride] > row[offset + best * stride]) best = i;
  return best;
}
