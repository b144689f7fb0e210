// The text of a settings.json with some settings set, without vscode: a
// minimal edit (jsonc-parser keeps the user's comments, order and layout) that
// "Raise these limits for this workspace" applies as one visible, undoable edit.
import { applyEdits, modify, parse, type ParseError } from 'jsonc-parser/lib/esm/main.js'; // the ESM build, as in jsonPaths.ts

/** `text` (a settings.json, possibly empty) with each of `settings` set to its value; null when the text is not a JSON object. */
export function withSettings(text: string, settings: Record<string, number>): string | null {
  const errors: ParseError[] = [];
  const current: unknown = text.trim() === '' ? {} : parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || typeof current !== 'object' || current === null || Array.isArray(current)) return null;
  let out = text.trim() === '' ? '{}\n' : text;
  for (const [key, value] of Object.entries(settings)) {
    out = applyEdits(out, modify(out, [key], value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } }));
  }
  return out;
}

/** The settings a problem's limits call for: each `ceLab.limits.*` to what the value needs. */
export function limitSettings(limits: readonly { setting: string; needed: number }[]): Record<string, number> {
  return Object.fromEntries(limits.map((l) => [l.setting, l.needed]));
}
