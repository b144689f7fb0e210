// What the fuzzer feeds the engine (fast-check arbitraries): the bundled examples
// with values replaced by hostile ones, cells of random JSON over the real field
// names, and text-level mutations (bytes cut, inserted, a BOM). Every hostile
// value issue 9 names is among them: huge sizes, prototype names, deep nesting,
// control characters, non-finite strings.
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const examplesDir = path.resolve(__dirname, '../../examples');
export const EXAMPLES: { name: string; text: string; doc: unknown }[] = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.ce.json'))
  .sort()
  .map((name) => {
    const text = readFileSync(path.join(examplesDir, name), 'utf8');
    return { name, text, doc: JSON.parse(text) };
  });

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function nest(depth: number, leaf: Json = 1): Json {
  let value: Json = leaf;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** Values that have broken or could break a reader: sizes, names, shapes, nesting. */
const hostile: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    0,
    -1,
    1e9,
    1e308,
    -1e308,
    2 ** 31,
    2 ** 53 + 2,
    0.5,
    -0.5,
    1e-320,
    'constructor',
    'valueOf',
    'toString',
    '__proto__',
    'hasOwnProperty',
    'inf',
    '-inf',
    'nan',
    'NaN',
    '',
    '\u001b[2J\u009b',
    'x'.repeat(300),
    null,
    true,
    [],
    {},
    [[]],
    [[], [1]],
    { random: { shape: [10000, 10000] } },
    { random: { shape: [3, 1e9] } },
    { random: { shape: [1e308] } },
    { random: { shape: [-1, 2] } },
    { random: { shape: new Array(80).fill(1) } },
    { random: { shape: [2, 3], classes: 1e9 } },
    { npz: 'data/model-outputs.npz', key: 'constructor' },
    { safetensors: 'data/model-logits.safetensors', key: '__proto__' },
    { npz: 'x.npy', key: 'x' },
    { npy: 'missing.npy' },
    { npy: '../outside.npy' },
    { npy: '/etc/passwd' },
    { npy: 'x.npy' },
    { npy: 'bad.npy' },
    { constructor: 1 },
    { __proto__: null },
    { toString: 'valueOf' },
    [2, 1e4, 1e4, 2],
    [2, 1e5, 1e5, 2],
    [1e6, 1e6],
    [2, 2 ** 31, 3],
    { dataset: 'blobs', n: 125000 },
    { dataset: 'moons', n: 1e308 },
    { dataset: 'constructor' },
    nest(1000), // far past the depth limit (64); 100,000 levels of text: test/core/limits.test.ts
    nest(70),
    nest(20, [1, 2]),
  ),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 20 }),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);

/** Every path to a value inside `doc`, root excluded. */
function pathsOf(doc: Json): (string | number)[][] {
  const out: (string | number)[][] = [];
  const stack: { value: Json; path: (string | number)[] }[] = [{ value: doc, path: [] }];
  while (stack.length > 0) {
    const { value, path: at } = stack.pop()!;
    if (at.length > 0) out.push(at);
    if (Array.isArray(value)) value.forEach((v, i) => stack.push({ value: v, path: [...at, i] }));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: [...at, k] });
  }
  return out;
}

type Mutation = { pick: number; kind: 'replace' | 'delete' | 'duplicate-cell'; value: Json };

/**
 * The deepest value a mutation replaces: a mutation landing inside the 1,000-deep nest an earlier one put in would
 * nest another there, and JSON.stringify (recursive) runs out of stack near 3,000 levels inside fast-check (seen on a
 * CI run with the 3,000-deep nest this list had then).
 */
const MAX_MUTATION_DEPTH = 32;

function mutate(doc: Json, mutations: Mutation[]): Json {
  const copy = structuredClone(doc);
  for (const m of mutations) {
    if (
      m.kind === 'duplicate-cell' &&
      copy &&
      typeof copy === 'object' &&
      !Array.isArray(copy) &&
      Array.isArray(copy.cells) &&
      copy.cells.length > 0
    ) {
      copy.cells.push(structuredClone(copy.cells[m.pick % copy.cells.length]));
      continue;
    }
    const paths = pathsOf(copy).filter((p) => p.length <= MAX_MUTATION_DEPTH);
    if (paths.length === 0) continue;
    const at = paths[m.pick % paths.length];
    let parent: Json = copy;
    for (const key of at.slice(0, -1)) parent = (parent as Record<string | number, Json>)[key];
    const last = at[at.length - 1];
    if (m.kind === 'delete' && !Array.isArray(parent)) delete (parent as Record<string, Json>)[last as string];
    else (parent as Record<string | number, Json>)[last] = structuredClone(m.value); // hostile values are shared by every case
  }
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  pick: fc.nat(),
  kind: fc.constantFrom<Mutation['kind']>('replace', 'replace', 'replace', 'delete', 'duplicate-cell'),
  value: hostile,
});

/** An example with one to four of its values replaced, deleted or cells duplicated. */
export const mutatedExample: fc.Arbitrary<string> = fc
  .tuple(fc.nat({ max: EXAMPLES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([i, mutations]) => JSON.stringify(mutate(EXAMPLES[i].doc as Json, mutations)));

const FIELDS: Record<string, string[]> = {
  loss: ['logits', 'target', 'weight', 'ignore_index', 'reduction', 'label_smoothing', 'grad_output', 'temperature', 'classes'],
  sweep: ['of', 'param', 'from', 'to', 'steps'],
  train: ['model', 'data', 'optimizer', 'loss', 'steps', 'batch_size', 'shuffle'],
  markdown: ['text'],
};

/** A cell of the given type with some of its real fields set to random or hostile values. */
const randomCell: fc.Arbitrary<Json> = fc
  .constantFrom(...Object.keys(FIELDS))
  .chain((type) =>
    fc
      .subarray([...FIELDS[type], 'id', 'title'])
      .chain((keys) => fc.tuple(...keys.map(() => hostile)).map((values) => ({ type, ...Object.fromEntries(keys.map((k, i) => [k, values[i]])) }))),
  );

/** A scenario of random cells (and sometimes random top-level fields). */
export const randomScenario: fc.Arbitrary<string> = fc
  .record(
    {
      cells: fc.array(fc.oneof(randomCell, hostile), { maxLength: 5 }),
      seed: hostile,
      dtype: fc.constantFrom<Json>('float32', 'float64', 'constructor', 1),
      version: fc.constantFrom<Json>(1, 2, [1]),
    },
    { requiredKeys: ['cells'] },
  )
  .map((doc) => JSON.stringify(doc));

/** An example's text with bytes cut or inserted, or a byte order mark in front. */
export const mutatedText: fc.Arbitrary<string> = fc
  .tuple(fc.nat({ max: EXAMPLES.length - 1 }), fc.nat(), fc.nat({ max: 20 }), fc.string({ maxLength: 5 }), fc.boolean())
  .map(([i, at, cut, insert, bom]) => {
    const text = EXAMPLES[i].text;
    const p = at % (text.length + 1);
    return `${bom ? '\ufeff' : ''}${text.slice(0, p)}${insert}${text.slice(p + cut)}`;
  });

export const anyScenario: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: mutatedExample, weight: 5 },
  { arbitrary: randomScenario, weight: 3 },
  { arbitrary: mutatedText, weight: 2 },
);
