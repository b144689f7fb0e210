// The index of a row's largest entry, as PyTorch's argmax picks it on a tie (the
// first); NaN never wins. One definition for the engine's views and the panel.

export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}
