// The quick fix for a misspelt key, without vscode: from a "did you mean" warning
// and the text it lies on, the edit that writes the known name in its place.
import { suggestionIn } from '../core/scenario/suggest';

export interface KeyFix {
  /** The code action's title: "Change to label_smoothing". */
  title: string;
  /** The span to replace (the key with its quotes, where the warning lies) and what goes there. */
  offset: number;
  length: number;
  newText: string;
}

/**
 * The fix for the warning `message` on `text[offset, offset + length)`, or null when the message suggests
 * nothing or the span no longer holds the misspelt key (the text changed since the warning was made).
 */
export function keyFixFor(text: string, offset: number, length: number, message: string): KeyFix | null {
  const suggestion = suggestionIn(message);
  if (!suggestion) return null;
  let written: unknown;
  try {
    written = JSON.parse(text.slice(offset, offset + length));
  } catch {
    return null;
  }
  if (written !== suggestion.key) return null;
  return { title: `Change to ${suggestion.guess}`, offset, length, newText: JSON.stringify(suggestion.guess) };
}
