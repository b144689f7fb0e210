// The panel's HTML shell: a strict CSP, no inline script, one nonce'd bundle.
import { randomBytes } from 'node:crypto';

export interface ShellUris {
  cspSource: string;
  script: string;
  style: string;
}

export function panelHtml(uris: ShellUris, nonce = randomBytes(16).toString('base64')): string {
  const csp = [
    "default-src 'none'",
    `img-src ${uris.cspSource} data:`,
    `style-src ${uris.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${uris.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uris.style}">
<title>CE Lab</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${uris.script}"></script>
</body>
</html>`;
}
