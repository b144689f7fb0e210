// The panel's side of getting the keyboard back after an undo or redo it asked for (extension/panel/refocus.ts).
// While the scenario's editor undoes, the page loses focus and Chromium forgets its focused element; the element
// that had it (a knob being stepped) gets it back once the page is focused again.

let last: HTMLElement | null = null;

/** Remembers the focused element, and restores it whenever the page gets focus back without one. */
export function keepFocusedElement(): void {
  document.addEventListener('focusin', (e) => {
    if (e.target instanceof HTMLElement) last = e.target;
  });
  window.addEventListener('focus', restore);
}

function restore(): void {
  if (last?.isConnected && (document.activeElement === null || document.activeElement === document.body)) last.focus({ preventScroll: true });
}

/** The host's `focus` request: the page takes the keyboard (it holds a key press's user activation) and says whether it has it. */
export function takeKeyboard(): boolean {
  if (!document.hasFocus()) window.focus();
  restore();
  return document.hasFocus();
}
