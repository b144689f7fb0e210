// Panel entry point: wire the host's messages to the panel, say we are ready.
import './panelHost'; // first: the UI state is read from the host as the modules below load
import type { HostToPanel } from '../core/protocol';
import { Panel } from './panel';
import { watchTheme } from './theme';
import { undoRedoOf } from './undoKeys';
import { post } from './vscodeApi';

const panel = new Panel(document.getElementById('app') ?? document.body);
window.addEventListener('message', (event: MessageEvent<HostToPanel>) => panel.handle(event.data));
watchTheme(() => panel.themeChanged());
// Ctrl/Cmd+Z and Ctrl/Cmd+Shift+Z (or Ctrl+Y) undo and redo the document, as in its editor.
window.addEventListener('keydown', (ev) => {
  const command = undoRedoOf(ev);
  if (!command) return;
  ev.preventDefault();
  post({ type: command });
});
post({ type: 'ready' });
