// Which undo/redo a key press asks for, the way VS Code binds them (Cmd on macOS, Ctrl elsewhere).
export function undoRedoOf(ev: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): 'undo' | 'redo' | null {
  if (!(ev.ctrlKey || ev.metaKey) || ev.altKey) return null;
  const key = ev.key.toLowerCase();
  if (key === 'z') return ev.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && ev.ctrlKey && !ev.shiftKey) return 'redo';
  return null;
}
