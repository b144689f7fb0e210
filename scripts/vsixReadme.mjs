// The README that goes into the .vsix. There is no public repository for vsce to
// resolve relative links against, so images are left out (a broken image is
// worse than none) and links to files in this repository become plain text.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** README markdown → the same text without images and with relative links as plain text. */
export function readmeForVsix(markdown) {
  return (
    markdown
      // A table whose cells are only images (the screenshot gallery): header, separator and rows.
      .replace(/^\|[^\n]*\|\n\|[-| ]+\|\n(\|\s*!\[[^\n]*\|\n)+/gm, '')
      // A paragraph that is one image.
      .replace(/^!\[[^\]]*\]\([^)]*\)\n\n?/gm, '')
      // [text](relative/path) → text (relative/path); absolute URLs and #anchors stay links.
      .replace(/\[([^\]]+)\]\((?![a-z]+:|#)([^)]+)\)/g, (_link, text, target) =>
        text === target ? `\`${target}\`` : `${text} (\`${target}\` in the source)`,
      )
      .replace(/\n{3,}/g, '\n\n')
  );
}

// node scripts/vsixReadme.mjs README.md out/README.md
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [from, to] = process.argv.slice(2);
  mkdirSync(path.dirname(to), { recursive: true });
  writeFileSync(to, readmeForVsix(readFileSync(from, 'utf8')));
}
