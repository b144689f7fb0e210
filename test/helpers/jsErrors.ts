// What a message must never contain: the text of a JavaScript error or of a
// function's source. Used by the limits tests and the fuzzer.
const JS_ERROR_TEXT = [
  'Internal error',
  'internal error',
  'Invalid typed array length',
  'Maximum call stack',
  'Invalid array length',
  'Array buffer allocation failed',
  'out of memory',
  '[native code]',
  'is not a function',
  'Cannot read properties',
  'undefined',
];
const FUNCTION_SOURCE = /function\s*[\w$]*\s*\(|=>\s*[{(]/;

/** The JavaScript-error fragment `message` contains, or null when it reads as a person's message. */
export function jsErrorIn(message: string): string | null {
  const found = JS_ERROR_TEXT.find((text) => message.includes(text));
  if (found) return found;
  return FUNCTION_SOURCE.exec(message)?.[0] ?? null;
}
