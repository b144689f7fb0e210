import { describe, expect, it } from 'vitest';
import { panelHtml } from '../../extension/panel/html';

describe('panelHtml', () => {
  it("has a strict CSP, one nonce'd external script and no inline script", () => {
    const html = panelHtml({ cspSource: 'vscode-webview://x', script: 'https://x/dist/webview.js', style: 'https://x/media/panel.css' }, 'NONCE');
    expect(html).toContain(
      `content="default-src 'none'; img-src vscode-webview://x data:; style-src vscode-webview://x; script-src 'nonce-NONCE'; font-src vscode-webview://x"`,
    );
    expect(html).toContain('<div id="app"></div>');
    const scripts = html.match(/<script[^>]*>[^<]*<\/script>/g) ?? [];
    expect(scripts).toEqual(['<script nonce="NONCE" src="https://x/dist/webview.js"></script>']);
    expect(html).toContain('href="https://x/media/panel.css"');
  });
});
