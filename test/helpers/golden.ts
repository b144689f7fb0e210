// Reads the PyTorch golden cases (test/fixtures/torch-golden-public.json; see test/fixtures/README.md).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Nested } from '../../core/results';
import { nestedShape, tensor, type Tensor } from '../../core/tensor';

const fixture = fileURLToPath(new URL('../fixtures/torch-golden-public.json', import.meta.url));

/** Strict JSON writes non-finite numbers as strings; turn them back into numbers. */
export function decodeNonFinite<T>(value: unknown): T {
  if (value === 'Infinity') return Infinity as T;
  if (value === '-Infinity') return -Infinity as T;
  if (value === 'NaN') return NaN as T;
  if (Array.isArray(value)) return value.map((v) => decodeNonFinite(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeNonFinite(v)])) as T;
  }
  return value as T;
}

export interface GoldenLossCase {
  name: string;
  input: Nested;
  target: Nested;
  target_kind: 'index' | 'probs';
  weight: number[] | null;
  ignore_index: number;
  reduction: string;
  label_smoothing: number;
  upstream: Nested | null;
  softmax: Nested;
  log_softmax: Nested;
  expected: Record<'float32' | 'float64', { loss: Nested; grad: Nested } | { error: string }>;
}

export interface GoldenLayer {
  weight: number[][];
  bias: number[];
}

export interface GoldenTrainCase {
  name: string;
  layers: [number, number][];
  activation: string | null;
  init: GoldenLayer[];
  x: number[][];
  target: number[];
  optimizer: Record<string, unknown> & { type: string };
  steps: number;
  batch_size: number | null;
  loss: Record<string, unknown>;
  expected: Record<'float32' | 'float64', { losses: number[]; final: GoldenLayer[]; final_probs: number[][] }>;
}

export interface GoldenInitCase {
  seed: number;
  layers: [number, number][];
  expected: GoldenLayer[];
}

export interface Golden {
  loss_cases: GoldenLossCase[];
  train_cases: GoldenTrainCase[];
  init_cases: GoldenInitCase[];
}

export const golden: Golden = decodeNonFinite(JSON.parse(readFileSync(fixture, 'utf8')));

export const shapeOf = (value: Nested): number[] => nestedShape(value);

export function flat(value: Nested): number[] {
  return Array.isArray(value) ? value.flatMap((v) => flat(v)) : [value];
}

export function toTensor(value: Nested): Tensor {
  return tensor(shapeOf(value), flat(value));
}

export interface Tolerance {
  rel: number;
  abs: number;
}

export const FLOAT64: Tolerance = { rel: 1e-10, abs: 1e-12 };
export const FLOAT32: Tolerance = { rel: 2e-6, abs: 1e-6 };
/** Long random training runs against a live PyTorch (test/torch), where float32 rounding may drift over many steps. */
export const TRAJECTORY: Tolerance = { rel: 1e-4, abs: 1e-4 };

/** Element-wise closeness with NaN matching NaN and infinities matching exactly. */
export function expectClose(actual: Nested, expected: Nested, tol: Tolerance, label: string): void {
  const a = flat(actual);
  const e = flat(expected);
  expect(shapeOf(actual), `${label}: shape`).toEqual(shapeOf(expected));
  for (let i = 0; i < e.length; i++) {
    const ok = (Number.isNaN(e[i]) && Number.isNaN(a[i])) || a[i] === e[i] || Math.abs(a[i] - e[i]) <= Math.max(tol.abs, tol.rel * Math.abs(e[i]));
    if (!ok) expect.fail(`${label}[${i}]: got ${a[i]}, PyTorch gives ${e[i]} (tolerance rel ${tol.rel}, abs ${tol.abs})`);
  }
}

/** Every weight then bias of every layer, as one list of numbers. */
export function flatParams(layers: GoldenLayer[]): number[] {
  return layers.flatMap((l) => [...l.weight.flat(), ...l.bias]);
}
