// cross_entropy's forward pass: per-element scalars, the N·C work on the active
// kernel set (compute/registry.ts) for the target kind, and the reduction, with
// PyTorch's semantics: label smoothing only when > 0, `mean` normalised by
// Σ w[target] over non-ignored targets (index targets) or by N·d1·…·dk
// (probability targets). The kernels are fused: given a gradient buffer, they
// fill it in the same pass (crossEntropyBackward.ts hands them one).
import { newFloatArray, type FloatArray } from '../compute/kernelSet';
import { elementCount } from '../compute/layout';
import { kernels } from '../compute/registry';
import { unfilledFloatArray } from '../compute/unfilledArrays';
import { rounding } from '../dtype';
import type { Tensor } from '../tensor';
import { checkArgs, type CheckedArgs, type CrossEntropyArgs, type IndexTargets } from './crossEntropyArgs';
import { checkLabelSmoothing } from './crossEntropyChecks';
import { combineIndexTerms, indexDivisor, lossShape, sum, upstreamPerElement, type IndexTerms } from './crossEntropyReduction';
import { forwardResult, type CrossEntropyForward, type ForwardOutputs } from './crossEntropyResult';

/** What a pass fills besides its own outputs (null: not wanted): d(loss)/d(x), and the label-smoothing terms of class-index targets. */
export interface PassBuffers {
  grad: FloatArray | null;
  smooth: FloatArray | null;
}

/** The label-smoothing terms' buffer the loss needs: with class-index targets and smoothing, else null. */
export function smoothingTerms(c: CheckedArgs): FloatArray | null {
  return c.targets.kind === 'index' && c.labelSmoothing > 0 ? unfilledFloatArray(c.dtype, elementCount(c.layout)) : null;
}

/** What both target kinds' kernels are handed, new per-element stats among them (the rest is assigned to it: spreading costs microseconds a call). */
function kernelCall(c: CheckedArgs, grad: FloatArray | null) {
  const n = elementCount(c.layout);
  return {
    dtype: c.dtype,
    layout: c.layout,
    x: c.x,
    weight: c.weight,
    shift: unfilledFloatArray(c.dtype, n),
    logSum: unfilledFloatArray(c.dtype, n),
    grad,
  };
}

/** Class-index targets: the nll and smoothing terms per element, which give the loss at any label smoothing. */
function indexTargetPass(c: CheckedArgs, targets: IndexTargets, buffers: PassBuffers): ForwardOutputs & { terms: IndexTerms } {
  const { dtype, layout: L, gradOutput, reduction, labelSmoothing: ls } = c;
  const round = rounding(dtype);
  const n = elementCount(L);
  const divisor = indexDivisor(targets.classIndex, c.weight, targets.ignoredCount, round);
  const nll = unfilledFloatArray(dtype, n);
  const call = kernelCall(c, buffers.grad);
  kernels().indexTarget(
    Object.assign(call, {
      target: targets.classIndex,
      nllScale: upstreamPerElement(gradOutput, reduction, n, round(1 - ls), divisor, dtype),
      smoothScale: ls > 0 ? upstreamPerElement(gradOutput, reduction, n, round(ls / L.classes), divisor, dtype) : null,
      nll,
      smooth: buffers.smooth,
    }),
  );
  const terms = { nll, smooth: buffers.smooth, divisor, classes: L.classes };
  const { perElement, reduced } = combineIndexTerms(terms, ls, reduction, dtype);
  return { perElement, reduced, divisor, stats: { shift: call.shift, logSum: call.logSum }, terms };
}

/** Probability targets: the loss per element, smoothed targets y·(1 − ls) + ls/C. */
function probTargetPass(c: CheckedArgs, y: FloatArray, grad: FloatArray | null): ForwardOutputs {
  const { dtype, layout: L, gradOutput, reduction, labelSmoothing: ls } = c;
  const round = rounding(dtype);
  const n = elementCount(L);
  const perElement = unfilledFloatArray(dtype, n);
  const call = kernelCall(c, grad);
  kernels().probTarget(
    Object.assign(call, {
      y,
      smoothing: ls > 0 ? { keep: round(1 - ls), spread: round(ls / L.classes) } : null,
      scale: upstreamPerElement(gradOutput, reduction, n, 1, n, dtype),
      loss: perElement,
    }),
  );
  const total = sum(perElement, round);
  return { perElement, reduced: reduction === 'mean' ? round(total / n) : total, divisor: n, stats: { shift: call.shift, logSum: call.logSum } };
}

/** The forward pass over checked arguments: the kernel of their target kind, filling `buffers` too, and the reduction. */
export function forwardPass(c: CheckedArgs, buffers: PassBuffers): ForwardOutputs {
  return c.targets.kind === 'index' ? indexTargetPass(c, c.targets, buffers) : probTargetPass(c, c.targets.y, buffers.grad);
}

/** The forward pass only (no gradient computed): what sweeps need. */
export function crossEntropyForward(args: CrossEntropyArgs): CrossEntropyForward {
  const c = checkArgs(args);
  return forwardResult(c, forwardPass(c, { grad: null, smooth: smoothingTerms(c) }));
}

/**
 * The loss as a function of label_smoothing, for sweeps. With class-index targets
 * neither log_softmax nor the nll and smoothing terms depend on it, so they are
 * computed once and each point only recombines them, exactly as crossEntropy
 * would. Null for probability targets, where smoothing changes the target.
 */
export function lossOverLabelSmoothing(args: CrossEntropyArgs): ((labelSmoothing: number) => Tensor) | null {
  const c = checkArgs({ ...args, labelSmoothing: 0 });
  if (c.targets.kind !== 'index') return null;
  const { terms } = indexTargetPass(c, c.targets, { grad: null, smooth: unfilledFloatArray(c.dtype, elementCount(c.layout)) });
  const { reduction, dtype } = c;
  const shape = lossShape(c.shape);
  return (labelSmoothing) => {
    checkLabelSmoothing(labelSmoothing);
    const { perElement, reduced } = combineIndexTerms(terms, labelSmoothing > 0 ? labelSmoothing : 0, reduction, dtype);
    return reduction === 'none' ? { shape, data: perElement } : { shape: [], data: newFloatArray(dtype, 1).fill(reduced) };
  };
}
