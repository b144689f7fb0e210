// "Did you mean …?" for a misspelt field name: the closest known name by edit
// distance, when it is close enough to be a typo rather than another word.
import type { JsonPath, Problem } from '../results';

/** Levenshtein distance, with an adjacent swap counting as one edit. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known name `word` most likely misspells, or null when none is within a third of its length (at least 1, at most 3 edits). */
export function closestName(word: string, known: readonly string[]): string | null {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of known) {
    // The distance is at least the difference in length: skip early, so a huge key costs nothing.
    if (Math.abs(word.length - name.length) > limit) continue;
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance <= limit && distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best;
}

/**
 * The warning for an unknown field `key` of an object (`where`: "a loss cell", "optimizer"), on the key
 * itself: a misspelt option would otherwise be silently left out.
 */
export function unknownFieldWarning(key: string, known: readonly string[], where: string, path: JsonPath): Problem {
  const guess = closestName(key, known);
  const message = guess
    ? `Unknown field ${JSON.stringify(key)} in ${where}: did you mean ${JSON.stringify(guess)}? As written it is ignored.`
    : `Unknown field ${JSON.stringify(key)} in ${where}; it is ignored. Known fields: ${known.join(', ')}.`;
  return { message, path, at: 'key' };
}

/** The misspelt key and the known name of a "did you mean" warning (what the editor's quick fix offers), or null for any other message. */
export function suggestionIn(message: string): { key: string; guess: string } | null {
  const m = /^Unknown field ("(?:[^"\\]|\\.)*") in .*: did you mean ("(?:[^"\\]|\\.)*")\? As written it is ignored\.$/s.exec(message);
  if (!m) return null;
  try {
    return { key: JSON.parse(m[1]) as string, guess: JSON.parse(m[2]) as string };
  } catch {
    return null;
  }
}
