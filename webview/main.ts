// Panel entry point: connect the panel to its host, say we are ready.
import './panelHost'; // first: the UI state is read from the host as the modules below load
import type { Wire } from '../core/channel';
import { keepFocusedElement } from './keyboardFocus';
import { Panel } from './panel';
import { watchTheme } from './theme';
import { undoRedoOf } from './undoKeys';
import { connectHost, notify } from './vscodeApi';

const panel = new Panel(document.getElementById('app') ?? document.body);
connectHost(panel.handlers, (receive) => window.addEventListener('message', (event: MessageEvent<Wire>) => receive(event.data)));
watchTheme(() => panel.themeChanged());
// The element that had the keyboard gets it back when an undo hands the keyboard back to the panel.
keepFocusedElement();
// Ctrl/Cmd+Z and Ctrl/Cmd+Shift+Z (or Ctrl+Y) undo and redo the document, as in its editor.
window.addEventListener('keydown', (ev) => {
  const command = undoRedoOf(ev);
  if (!command) return;
  ev.preventDefault();
  notify(command, {});
});
notify('ready', {});
