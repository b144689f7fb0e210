// Strict JSON text of the engine's documents, written in pieces: the same
// characters JSON.stringify(value, replacer, indent) gives with non-finite numbers
// as "Infinity", "-Infinity", "NaN", except that a ResultTensor (a typed array
// with a shape) is written as the nested arrays it stands for. No piece is much
// longer than CHUNK characters, so a 200 MB document never exists as one string.
import type { ResultTensor } from './results';

/** About this many UTF-16 units per piece. */
const CHUNK = 1 << 16;

export function isResultTensor(value: unknown): value is ResultTensor {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { shape, data } = value as Partial<ResultTensor>;
  return Array.isArray(shape) && (data instanceof Float32Array || data instanceof Float64Array);
}

/** A number as JSON.stringify writes it (-0 as 0), non-finite ones as strings. */
const numberText = (v: number): string => (Number.isFinite(v) ? String(v) : Number.isNaN(v) ? '"NaN"' : v > 0 ? '"Infinity"' : '"-Infinity"');

/** Values JSON.stringify leaves out of an object (and writes as null in an array). */
const isSkipped = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** Numbers handed to JSON.stringify at a time. */
const BLOCK = 4096;

/** Every value finite (JSON.stringify would write a non-finite one as null). */
function allFinite(values: Float32Array | Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] - values[i] !== 0) return false;
  return true;
}

class Writer {
  text = '';
  constructor(private readonly indent: string) {}

  /** Line break and indentation before an item at `depth` (nothing without indent). */
  private newline(depth: number): string {
    return this.indent ? '\n' + this.indent.repeat(depth) : '';
  }

  *value(v: unknown, depth: number): Generator<string> {
    if (typeof v === 'number') this.text += numberText(v);
    else if (typeof v === 'string' || typeof v === 'boolean' || v === null) this.text += JSON.stringify(v);
    else if (isResultTensor(v)) yield* this.tensor(v, depth);
    else if (Array.isArray(v)) yield* this.array(v, depth);
    else if (typeof v === 'object') yield* this.object(v as Record<string, unknown>, depth);
    else this.text += 'null';
    if (this.text.length >= CHUNK) yield this.take();
  }

  take(): string {
    const piece = this.text;
    this.text = '';
    return piece;
  }

  private *array(items: unknown[], depth: number): Generator<string> {
    if (items.length === 0) return void (this.text += '[]');
    this.text += '[';
    for (let i = 0; i < items.length; i++) {
      if (i > 0) this.text += ',';
      this.text += this.newline(depth + 1);
      const item = items[i];
      // Numbers inline: an array of a million of them is one loop, not a million generators.
      if (typeof item === 'number') this.text += numberText(item);
      else yield* this.value(isSkipped(item) ? null : item, depth + 1);
      if (this.text.length >= CHUNK) yield this.take();
    }
    this.text += this.newline(depth) + ']';
  }

  private *object(object: Record<string, unknown>, depth: number): Generator<string> {
    const sep = this.indent ? ': ' : ':';
    let first = true;
    this.text += '{';
    for (const key of Object.keys(object)) {
      const item = object[key];
      if (isSkipped(item)) continue;
      this.text += (first ? '' : ',') + this.newline(depth + 1) + JSON.stringify(key) + sep;
      first = false;
      yield* this.value(item, depth + 1);
    }
    this.text += first ? '}' : this.newline(depth) + '}';
  }

  /**
   * One innermost row without indentation, comma-separated: blocks of finite
   * numbers go through the engine's native JSON.stringify (twice as fast as
   * String per number, and the same text), the rest number by number.
   */
  private *row(values: Float32Array | Float64Array): Generator<string> {
    for (let start = 0; start < values.length; start += BLOCK) {
      const block = values.subarray(start, start + BLOCK);
      if (start > 0) this.text += ',';
      if (allFinite(block)) this.text += JSON.stringify(Array.from(block)).slice(1, -1);
      else for (let i = 0; i < block.length; i++) this.text += (i > 0 ? ',' : '') + numberText(block[i]);
      if (this.text.length >= CHUNK) yield this.take();
    }
  }

  /** Nested arrays in C order, as toNested would build them (a bare number for a 0-d tensor). */
  private *tensor({ shape, data }: ResultTensor, depth: number): Generator<string> {
    if (shape.length === 0) return void (this.text += numberText(data[0]));
    const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
    const walk = function* (this: Writer, dim: number, offset: number): Generator<string> {
      const size = shape[dim];
      if (size === 0) return void (this.text += '[]');
      const inner = this.newline(depth + dim + 1);
      this.text += '[';
      if (dim === shape.length - 1 && !this.indent) {
        yield* this.row(data.subarray(offset, offset + size));
        return void (this.text += ']');
      }
      for (let i = 0; i < size; i++) {
        if (i > 0) this.text += ',';
        this.text += inner;
        if (dim === shape.length - 1) this.text += numberText(data[offset + i]);
        else yield* walk.call(this, dim + 1, offset + i * strides[dim]);
        if (this.text.length >= CHUNK) yield this.take();
      }
      this.text += this.newline(depth + dim) + ']';
    };
    yield* walk.call(this, 0, 0);
  }
}

/** The JSON text of `value` in pieces (concatenated, they are the whole text). */
export function* jsonPieces(value: unknown, indent?: number): Generator<string> {
  const writer = new Writer(indent ? ' '.repeat(Math.min(10, indent)) : '');
  yield* writer.value(isSkipped(value) ? null : value, 0);
  if (writer.text) yield writer.take();
}

/** The JSON text as UTF-8 and a final newline, encoded piece by piece: a 64 × 50,257 loss cell never becomes one JS string. */
export function jsonBytes(value: unknown, indent?: number): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  let length = 0;
  const add = (piece: string) => {
    const bytes = encoder.encode(piece);
    parts.push(bytes);
    length += bytes.length;
  };
  for (const piece of jsonPieces(value, indent)) add(piece);
  add('\n');
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
