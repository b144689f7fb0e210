// Gives the keyboard back to the panel after an undo it asked for. VS Code focuses a webview in two steps: its
// frame at once, the page inside it ~50 ms later, and it drops the second step when the page's blur (polled
// every 250 ms) reaches the workbench in between. So the panel is asked whether it has the keyboard after
// each reveal (it also takes it itself), and revealed again while it says no.

/** Reveals after which the host stops asking: the panel is focused by then, or something else holds the keyboard. */
export const FOCUS_TRIES = 3;

/** Reveals (focusing) and asks until the panel replies that it has the keyboard; resolves with its last answer. */
export async function untilFocused(reveal: () => void, focused: () => Promise<boolean>, tries = FOCUS_TRIES): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    reveal();
    if (await focused()) return true;
  }
  return false;
}
