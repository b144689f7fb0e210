import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../core/events';
import { applyEvent, emptyRunState } from '../../core/runState';
import { panelHtml } from '../../extension/panel/html';
import { keepOtherCells } from '../../extension/runner';
import { scenarioEvent } from '../helpers/scenarioEvent';

const scenario = (ids: string[]) => scenarioEvent(ids.map((id) => [id, 'loss']));

describe('keepOtherCells (one-cell runs)', () => {
  it('drops the resetting scenario event when the cells are unchanged', () => {
    const state = applyEvent(emptyRunState(), scenario(['a', 'b']));
    const events = [scenario(['a', 'b']), { kind: 'cell-started', index: 1, id: 'b' } as EngineEvent];
    expect(keepOtherCells(state, events)).toEqual([events[1]]);
  });
  it('keeps it when the cells changed', () => {
    const state = applyEvent(emptyRunState(), scenario(['a', 'b']));
    expect(keepOtherCells(state, [scenario(['a', 'c'])])).toHaveLength(1);
    expect(keepOtherCells(state, [scenario(['a'])])).toHaveLength(1);
  });
});

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
