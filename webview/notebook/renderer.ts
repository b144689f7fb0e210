// The notebook renderer of CE Lab outputs (`application/vnd.ce-lab.cell+json`):
// each output is drawn by the panel's own CellView, in a shadow root that holds
// the panel's stylesheet (so its page-wide rules stay off the notebook). The
// views' messages (a dragged logit bar, Re-run, Stop) go to the notebook's kernel
// through the renderer's messaging, in the panel's protocol.
import { decodeCellOutput, type CellOutput } from '../../core/view';
import { applyChartDefaults } from '../charts/setup';
import { CellView } from '../cells/cellView';
import { readPalette, watchTheme, type Palette } from '../theme';
import type { Handlers, Wire } from '../../core/channel';
import type { PanelApi } from '../../core/protocol';
import { connectHost, useHost } from '../vscodeApi';

/** What VS Code hands a renderer (the parts used; see the vscode-notebook-renderer types). */
interface OutputItem {
  readonly id: string;
  text(): string;
}
interface RendererContext {
  postMessage?(message: unknown): void;
  onDidReceiveMessage?(listener: (message: unknown) => void): unknown;
  getState(): unknown;
  setState(state: unknown): void;
}

interface Shown {
  element: HTMLElement;
  view: CellView;
  output: CellOutput;
}

/** An output is drawn from its own data: the kernel sends none of the panel's messages (its replies come to the views). */
const OUTPUT_HANDLERS: Handlers<PanelApi> = {
  requests: { draw: () => null, focus: () => false },
  notices: { hydrate: () => undefined, syntax: () => undefined, notice: () => undefined, selectCell: () => undefined },
};

/** The panel's stylesheet, shipped in the extension's media/ beside dist/. */
const STYLESHEET = new URL('../media/panel.css', import.meta.url).href;

export function activate(ctx: RendererContext) {
  useHost({ postMessage: (m) => ctx.postMessage?.(m), getState: () => ctx.getState(), setState: (s) => ctx.setState(s) });
  connectHost(OUTPUT_HANDLERS, (receive) => ctx.onDidReceiveMessage?.((message) => receive(message as Wire)));
  let palette: Palette = readPalette();
  applyChartDefaults(palette);
  const shown = new Map<string, Shown>();
  watchTheme(() => {
    palette = readPalette();
    applyChartDefaults(palette);
    for (const s of shown.values()) s.view.update(s.output.cell, palette);
  });

  return {
    renderOutputItem(item: OutputItem, element: HTMLElement): void {
      const output = decodeCellOutput(item.text());
      const { header } = output.cell;
      let s = shown.get(item.id);
      // A streaming update of the same output redraws its charts in place.
      if (!s || s.element !== element || s.view.id !== header.id || s.view.type !== header.type) {
        s?.view.destroy();
        const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
        const view = new CellView(header.id, output.index, header.type);
        const style = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: STYLESHEET });
        const frame = Object.assign(document.createElement('div'), { className: 'cells notebook-output' });
        frame.append(view.root);
        root.replaceChildren(style, frame);
        s = { element, view, output };
        shown.set(item.id, s);
      }
      s.output = output;
      s.view.update(output.cell, palette);
    },
    disposeOutputItem(id?: string): void {
      for (const [key, s] of shown) {
        if (id !== undefined && key !== id) continue;
        s.view.destroy();
        shown.delete(key);
      }
    },
  };
}
