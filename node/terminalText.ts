// Text from a scenario (ids, titles, class names, paths) shown on a terminal:
// control characters are written as escapes, so an id cannot move the cursor,
// clear the screen or reorder text (ANSI escapes, C1 controls, bidi overrides).

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escape = (ch: string): string => {
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** One line of output with every control character escaped (a newline inside it too). */
export function printable(line: string): string {
  return line.replace(CONTROL, escape);
}

/** JSON text with the controls JSON.stringify leaves raw (DEL, C1, bidi) written as \u escapes: the same JSON value. */
export function jsonPrintable(json: string): string {
  return json.replace(/[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
