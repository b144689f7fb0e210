// Where a scenario text stops being JSON, as the editor counts lines and
// columns. The editor's own JSON diagnostics squiggle it; this feeds the
// panel's "does not parse at line:column". Pure (no vscode, no Node).
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js'; // the ESM build: esbuild cannot bundle the UMD one's dynamic requires
import type { JsonSyntaxError } from '../core/protocol';
import { messageOf } from '../core/errorMessage';

/** "CommaExpected" -> "comma expected". */
function readable(code: ParseError['error']): string {
  return printParseErrorCode(code)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

/** Null when `text` is strict JSON; otherwise its first syntax error. */
export function jsonSyntaxError(text: string): JsonSyntaxError | null {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    const errors: ParseError[] = [];
    try {
      parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    } catch {
      // jsonc-parser recurses per nesting level: very deep text overflows it. JSON.parse's own message then.
      errors.length = 0;
    }
    const first = errors[0];
    // JSON.parse refused something jsonc-parser accepts (or could not parse): its own message, at the position it names.
    const offset = first?.offset ?? Math.min(text.length, Number(/position (\d+)/.exec(messageOf(error))?.[1] ?? 0));
    const message = first ? readable(first.error) : messageOf(error);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - (before.lastIndexOf('\n') + 1) + 1;
    return { message, offset, line, column };
  }
}
