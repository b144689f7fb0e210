// The WebAssembly kernels' calls, defined once: each kernel's number (its place
// in this table) and the slots of its call, in order, one f64 each in the
// module's parameter block (wasm/index.ts). scripts/build-wasm.mjs generates
// wasm/calls.generated.ts from this table: the kernel numbers, and per slot a
// reader of the slot's kind that the AssemblyScript kernels take their
// arguments with. The TypeScript side packs a call from arguments given by
// name (wasmModule.ts's call; wasmArena.ts's placeCall, with its buffers).
// This file imports nothing: the wasm build reads it on its own.

/**
 * How a kernel reads a slot: the byte offset (0: absent) of values of the call's
 * dtype ('buffer') or of int32 ('int32buffer') in the module's memory; an int32
 * ('int'); a float64 ('scalar').
 */
export type SlotKind = 'buffer' | 'int32buffer' | 'int' | 'scalar';

export interface Slot {
  readonly name: string;
  readonly kind: SlotKind;
  /** What the slot holds: the generated reader's doc comment. */
  readonly about: string;
}

const COUNT = { name: 'n', kind: 'int', about: 'how many values' } as const;

/** x in, out = f(x), n values (a multiple of the lanes): the exp and log kernels the accuracy tests call. */
const ELEMENTWISE = [{ name: 'x', kind: 'buffer', about: 'the values' }, { name: 'out', kind: 'buffer', about: 'f of each value' }, COUNT] as const;
const ACTIVATION = [
  { name: 'z', kind: 'buffer', about: 'the pre-activations' },
  { name: 'out', kind: 'buffer', about: 'the activations' },
  COUNT,
] as const;
const ACTIVATION_BACKWARD = [
  { name: 'grad', kind: 'buffer', about: 'the gradient, times the derivative in place' },
  { name: 'y', kind: 'buffer', about: 'the activations' },
  COUNT,
] as const;

/** A row-major matrix in: the start of the transpose and column-sum calls. */
const MATRIX = [
  { name: 'a', kind: 'buffer', about: 'rows×cols, row-major' },
  { name: 'rows', kind: 'int', about: 'rows of a' },
  { name: 'cols', kind: 'int', about: 'columns of a' },
] as const;

export const WASM_CALLS = {
  loss: [
    { name: 'x', kind: 'buffer', about: 'logits' },
    { name: 'y', kind: 'buffer', about: 'probability targets (0: class-index targets)' },
    { name: 'target', kind: 'int32buffer', about: 'class index per element, < 0 where ignored' },
    { name: 'weight', kind: 'buffer', about: 'weight table (0: none): rows, C weights padded with zeros; spatial, each weight in all lanes' },
    { name: 'scale', kind: 'buffer', about: 'per element: upstream gradient of the nll term (index) or of the loss (probabilities)' },
    { name: 'smoothScale', kind: 'buffer', about: 'per element: upstream gradient of the smoothing term (0: none)' },
    { name: 'shift', kind: 'buffer', about: 'per element: the maximum logit' },
    { name: 'logSum', kind: 'buffer', about: 'per element: log Σ exp(x − max)' },
    { name: 'grad', kind: 'buffer', about: 'd(loss)/d(x) (0: forward only)' },
    { name: 'nll', kind: 'buffer', about: 'per element: −w[t]·log p[t] (index targets)' },
    { name: 'sum', kind: 'buffer', about: 'per element: −Σ u·w·log p (0: not wanted)' },
    { name: 'outer', kind: 'int', about: 'blocks of (C, inner) values' },
    { name: 'classes', kind: 'int', about: 'C' },
    { name: 'inner', kind: 'int', about: 'positions per block (1: the rows layout)' },
    { name: 'rowStride', kind: 'int', about: 'spatial layout: values between an element’s classes' },
    { name: 'weightSum', kind: 'scalar', about: 'Σ w over the classes (C without weights)' },
    { name: 'smoothing', kind: 'scalar', about: 'probability targets: 1 when y is smoothed' },
    { name: 'keep', kind: 'scalar', about: 'smoothed y = y·keep + spread' },
    { name: 'spread', kind: 'scalar', about: 'smoothed y = y·keep + spread' },
    { name: 'exps', kind: 'buffer', about: 'scratch the size of the logits, where the exps wait in a forward pass (0: grad holds them)' },
  ],
  classIndices: [
    { name: 'values', kind: 'buffer', about: 'the target values (a float64 call)' },
    { name: 'n', kind: 'int', about: 'how many values (a multiple of 4)' },
    { name: 'classes', kind: 'int', about: 'C: a class index is an integer in [0, C)' },
    { name: 'ignoreIndex', kind: 'scalar', about: 'the value that marks an ignored target' },
    { name: 'out', kind: 'int32buffer', about: 'the class indices, −1 where ignored' },
    { name: 'result', kind: 'buffer', about: 'one value: how many are ignored, or −1 when a value is not a class index' },
  ],
  exp: ELEMENTWISE,
  log: ELEMENTWISE,
  expNonPositive: ELEMENTWISE,
  logOfSum: ELEMENTWISE,
  matmul: [
    { name: 'a', kind: 'buffer', about: 'A, A(i, p) at a[i·aRow + p·aCol]' },
    { name: 'aRow', kind: 'int', about: 'A’s step between rows' },
    { name: 'aCol', kind: 'int', about: 'A’s step between columns' },
    { name: 'b', kind: 'buffer', about: 'B, row-major k×n' },
    { name: 'm', kind: 'int', about: 'rows of A and of the output' },
    { name: 'k', kind: 'int', about: 'columns of A, rows of B' },
    { name: 'n', kind: 'int', about: 'columns of B and of the output' },
    { name: 'bias', kind: 'buffer', about: 'added to each output row (0: none)' },
    { name: 'out', kind: 'buffer', about: 'the m×n output, row-major' },
  ],
  transpose: [...MATRIX, { name: 'out', kind: 'buffer', about: 'cols×rows: aᵀ' }],
  columnSums: [...MATRIX, { name: 'out', kind: 'buffer', about: 'the cols sums' }],
  relu: ACTIVATION,
  reluBackward: ACTIVATION_BACKWARD,
  tanh: ACTIVATION,
  tanhBackward: ACTIVATION_BACKWARD,
} as const satisfies Record<string, readonly Slot[]>;

export type WasmKernelName = keyof typeof WASM_CALLS;

type SlotOf<K extends WasmKernelName> = (typeof WASM_CALLS)[K][number];

/** A call's arguments by slot name: byte offsets (0: absent), sizes, scalars. */
export type CallArgs<K extends WasmKernelName> = { [S in SlotOf<K> as S['name']]: number };

/** The names of a kernel's buffer slots, by their element type, and of its other slots. */
export type FloatBufferName<K extends WasmKernelName> = Extract<SlotOf<K>, { kind: 'buffer' }>['name'];
export type Int32BufferName<K extends WasmKernelName> = Extract<SlotOf<K>, { kind: 'int32buffer' }>['name'];
export type BufferName<K extends WasmKernelName> = FloatBufferName<K> | Int32BufferName<K>;
export type ScalarName<K extends WasmKernelName> = Exclude<SlotOf<K>['name'], BufferName<K>>;
