// Class names: written inline (["cat", "dog"]) or read from a file
// ({"file": "labels.txt"}): one name per line, a JSON array of names, or a
// Hugging Face tokenizer.json, whose vocabulary is indexed by token id and whose
// byte-level tokens are shown readable ("Ġthe" as " the", "Ċ" as "⏎").
import type { JsonPath } from '../results';
import { ScenarioError } from './problems';
import { describeValue, isObject, own, type FieldReader } from './read';
import type { TensorSource } from './tensorValue';
import { messageOf } from '../errorMessage';

/** UTF-8 with U+FFFD for bytes that are not (a token can be half a character). */
const decodeUtf8Lenient = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Names files larger than this are refused (a 250,000-token vocabulary is a few MB). */
const MAX_NAMES_BYTES = 64 * 1024 * 1024;

/** GPT-2's byte-level alphabet: the printable bytes stand for themselves, the others were moved to U+0100 onwards. */
function byteLevelDecoder(): Map<string, number> {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const map = new Map<string, number>();
  let next = 0;
  for (let b = 0; b < 256; b++) map.set(String.fromCodePoint(printable(b) ? b : 256 + next++), b);
  return map;
}

/** A byte-level token as text: its bytes decoded as UTF-8, a newline as ⏎ and a tab as ⇥; a token of other characters as it is. */
export function readableToken(token: string, decoder = byteLevelDecoder()): string {
  const bytes: number[] = [];
  for (const ch of token) {
    const b = decoder.get(ch);
    if (b === undefined) return token;
    bytes.push(b);
  }
  return decodeUtf8Lenient(Uint8Array.from(bytes)).replace(/\n/g, '⏎').replace(/\r/g, '↵').replace(/\t/g, '⇥');
}

function namesFromTokenizer(doc: Record<string, unknown>): string[] | null {
  const model = own(doc, 'model');
  const vocab = isObject(model) ? own(model, 'vocab') : undefined;
  if (!isObject(vocab)) return null;
  const entries = Object.entries(vocab).filter((entry): entry is [string, number] => Number.isSafeInteger(entry[1]) && (entry[1] as number) >= 0);
  const names: string[] = new Array(entries.reduce((m, [, id]) => Math.max(m, id + 1), 0)).fill('');
  const decoder = byteLevelDecoder();
  for (const [token, id] of entries) names[id] = readableToken(token, decoder);
  return names;
}

function namesFromText(text: string, file: string): string[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch (error) {
      throw new Error(`${file} is not valid JSON: ${messageOf(error)}`, { cause: error });
    }
    if (Array.isArray(doc))
      return doc.map((name, i) => (typeof name === 'string' ? name : fail(`${file}: name ${i} is ${describeValue(name)}, not a string`)));
    const names = isObject(doc) ? namesFromTokenizer(doc) : null;
    if (!names) throw new Error(`${file} is neither a JSON array of names nor a tokenizer.json with model.vocab`);
    return names;
  }
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const fail = (message: string): never => {
  throw new Error(message);
};

/** The cell's class names, or null; a file's are read once per run through the runner's loader. */
export async function readClassNames(f: FieldReader, source: TensorSource): Promise<string[] | null> {
  const value = f.raw('classes');
  const path = f.at('classes');
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) {
    return value.map((name, i) => {
      if (typeof name !== 'string') throw new ScenarioError(`Class names must be strings, got ${describeValue(name)}.`, [...path, i]);
      return name;
    });
  }
  if (isObject(value) && Object.hasOwn(value, 'file')) return namesFile(own(value, 'file'), [...path, 'file'], source);
  throw new ScenarioError(`classes must be an array of class names or {"file": "labels.txt"}, got ${describeValue(value)}.`, path);
}

async function namesFile(file: unknown, path: JsonPath, source: TensorSource): Promise<string[]> {
  if (typeof file !== 'string') throw new ScenarioError(`"file" must be a path relative to the scenario, got ${describeValue(file)}.`, path);
  if (!source.loadNpy) throw new ScenarioError('This runner cannot read files.', path);
  try {
    return namesFromText(decodeUtf8Lenient(await source.loadNpy(file, path, MAX_NAMES_BYTES)), file);
  } catch (error) {
    throw new ScenarioError(`Cannot read class names from ${file}: ${messageOf(error)}.`, path);
  }
}
