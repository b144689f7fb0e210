/** A small train cell (30 blob points, one Linear layer, 2 SGD steps) with `extra` over it: what the limit tests push past a limit. */
export const smallTrainCell = (extra: object) => ({
  type: 'train',
  model: { layers: [2, 3] },
  data: { dataset: 'blobs', n: 30 },
  optimizer: { type: 'sgd', lr: 0.1 },
  steps: 2,
  ...extra,
});
