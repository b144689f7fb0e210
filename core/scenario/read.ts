// Typed readers for scenario fields: each returns the value or throws a
// ScenarioError naming the field, what was expected and where it is.
import type { JsonPath } from '../results';
import { ScenarioError } from './problems';

export type JsonObject = Record<string, unknown>;

// A Map, not an object: "constructor" or "valueOf" must not be found on a prototype.
const NON_FINITE = new Map<string, number>([
  ['inf', Infinity],
  ['-inf', -Infinity],
  ['nan', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['NaN', NaN],
]);

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectObject(value: unknown, path: JsonPath, what: string): JsonObject {
  if (!isObject(value)) throw new ScenarioError(`${what} must be an object, got ${describeValue(value)}.`, path);
  return value;
}

/** A float: a finite JSON number or one of the strings "inf", "-inf", "nan" (also "Infinity", "-Infinity", "NaN"). */
export function toFloat(value: unknown, path: JsonPath): number {
  if (typeof value === 'number') return value;
  const nonFinite = typeof value === 'string' ? NON_FINITE.get(value) : undefined;
  if (nonFinite !== undefined) return nonFinite;
  throw new ScenarioError(`Expected a number (or "inf", "-inf", "nan"), got ${describeValue(value)}.`, path);
}

export function toInteger(value: unknown, path: JsonPath, what = 'an integer'): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw new ScenarioError(`Expected ${what}, got ${describeValue(value)}.`, path);
}

export interface FieldReader {
  readonly object: JsonObject;
  readonly path: JsonPath;
  /** Every key asked about so far (read, tested or pointed at): the object's known fields on this path. */
  readonly asked: ReadonlySet<string>;
  has(key: string): boolean;
  at(key: string): JsonPath;
  raw(key: string): unknown;
  float(key: string, fallback: number, check?: (v: number) => string | null): number;
  integer(key: string, fallback: number, check?: (v: number) => string | null): number;
  requiredFloat(key: string, check?: (v: number) => string | null): number;
  requiredInteger(key: string, check?: (v: number) => string | null): number;
  string(key: string, fallback: string): string;
  optionalString(key: string): string | undefined;
  oneOf<T extends string>(key: string, options: readonly T[], fallback: T): T;
  boolean(key: string, fallback: boolean): boolean;
  required(key: string, what: string): unknown;
}

/** The object's own value at `key` (never one inherited from Object.prototype). */
export function own(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Field readers for one JSON object at `path`. `check` returns an error message or null. */
export function fields(object: JsonObject, path: JsonPath): FieldReader {
  const asked = new Set<string>();
  const at = (key: string): JsonPath => (asked.add(key), [...path, key]);
  const present = (key: string) => (asked.add(key), own(object, key) !== undefined);
  const validated = (key: string, value: number, check?: (v: number) => string | null) => {
    const problem = check?.(value);
    if (problem) throw new ScenarioError(`${key} ${problem}`, at(key));
    return value;
  };
  const required = (key: string, what: string) => {
    if (!present(key)) throw new ScenarioError(`Missing "${key}": ${what}.`, path);
    return own(object, key);
  };
  const stringAt = (key: string): string => {
    const value = own(object, key);
    if (typeof value !== 'string') throw new ScenarioError(`${key} must be a string, got ${describeValue(value)}.`, at(key));
    return value;
  };
  return {
    object,
    path,
    asked,
    has: present,
    at,
    raw: (key) => (asked.add(key), own(object, key)),
    float: (key, fallback, check) => (present(key) ? validated(key, toFloat(own(object, key), at(key)), check) : fallback),
    integer: (key, fallback, check) => (present(key) ? validated(key, toInteger(own(object, key), at(key)), check) : fallback),
    requiredFloat: (key, check) => validated(key, toFloat(required(key, 'a number is needed'), at(key)), check),
    requiredInteger: (key, check) => validated(key, toInteger(required(key, 'an integer is needed'), at(key)), check),
    string: (key, fallback) => (present(key) ? stringAt(key) : fallback),
    optionalString: (key) => (present(key) ? stringAt(key) : undefined),
    oneOf: (key, options, fallback) => {
      if (!present(key)) return fallback;
      const value = own(object, key);
      if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
        throw new ScenarioError(`${key} must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}; got ${describeValue(value)}.`, at(key));
      }
      return value as (typeof options)[number];
    },
    boolean: (key, fallback) => {
      if (!present(key)) return fallback;
      const value = own(object, key);
      if (typeof value !== 'boolean') throw new ScenarioError(`${key} must be true or false, got ${describeValue(value)}.`, at(key));
      return value;
    },
    required,
  };
}

export const positive = (v: number) => (v > 0 && Number.isFinite(v) ? null : `must be a positive number, got ${v}.`);
export const atLeast = (min: number) => (v: number) => (v >= min ? null : `must be at least ${min}, got ${v}.`);
