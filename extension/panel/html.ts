// The panel's HTML shell: a strict CSP, no inline script, one nonce'd bundle.

export interface ShellUris {
  cspSource: string;
  script: string;
  style: string;
}

export function panelHtml(uris: ShellUris, nonce = randomNonce()): string {
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

/** 128 random bits, base64 (Web Crypto: the same on desktop and on the web). */
function randomNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
