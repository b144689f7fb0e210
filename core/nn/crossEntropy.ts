// torch.nn.functional.cross_entropy, forward and backward, with PyTorch's
// argument checks (same order, PyTorch's own words first) and its semantics.
// One concern a file: the arguments and their checks (crossEntropyArgs.ts,
// crossEntropyChecks.ts), the forward pass (crossEntropyForward.ts), forward and
// backward (crossEntropyBackward.ts), the result whose log_softmax and
// probabilities are derived when read (crossEntropyResult.ts), and the
// per-element scalars and reduction the streamed pass shares
// (crossEntropyReduction.ts). This module is what callers import.
export type { CrossEntropyArgs } from './crossEntropyArgs';
export { crossEntropy } from './crossEntropyBackward';
export { crossEntropyForward, lossOverLabelSmoothing } from './crossEntropyForward';
export type { CrossEntropyForward, CrossEntropyResult } from './crossEntropyResult';
