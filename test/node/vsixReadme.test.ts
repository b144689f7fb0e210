// The packaged README (npm run package) must not ship broken images or links:
// there is no public repository for relative paths to resolve against.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeForVsix } from '../../scripts/vsixReadme.mjs';

const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');

describe('the README packaged into the .vsix', () => {
  const packaged = readmeForVsix(readme);

  it('has no images and no relative links, only absolute ones', () => {
    expect(readme).toMatch(/!\[/); // the repository's README does show screenshots
    expect(packaged).not.toMatch(/!\[/);
    const targets = [...packaged.matchAll(/\]\(([^)]*)\)/g)].map((m) => m[1]);
    expect(targets.filter((t) => !/^https?:|^#/.test(t))).toEqual([]);
  });

  it('keeps the text: every heading, and a relative link as its text and path', () => {
    const headings = (md: string) => md.split('\n').filter((l) => l.startsWith('#'));
    expect(headings(packaged)).toEqual(headings(readme));
    expect(readmeForVsix('See [the format](docs/SCENARIO.md).')).toBe('See the format (`docs/SCENARIO.md` in the source).');
  });
});
