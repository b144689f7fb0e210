// A failed cell (or an unusable file): the message where the output would be,
// and the JSON path as a button that reveals the offending value in the editor.
import { describePath, type Problem, type PanelCellState } from '../../core/view';
import { button, el } from '../dom';
import { notify } from '../vscodeApi';
import type { CellBody } from './cellBody';

export function problemBox(problem: Problem, testId: string): HTMLElement {
  return el(
    'div',
    { class: 'problem', role: 'alert', 'data-testid': testId },
    el('span', { class: 'problem-message' }, problem.message),
    button(describePath(problem.path), { class: 'problem-path', title: 'Show this value in the editor', 'data-testid': `${testId}-path` }, () =>
      notify('reveal', { path: problem.path }),
    ),
  );
}

export class ErrorView implements CellBody {
  readonly root = el('div', { class: 'error-view' });
  private shown = '';

  constructor(private readonly id: string) {}

  update(cell: PanelCellState): void {
    if (cell.result?.ok !== false) return;
    const key = JSON.stringify(cell.result.error);
    if (key === this.shown) return; // the same error again: keep its button (and any focus on it)
    this.shown = key;
    this.root.replaceChildren(problemBox(cell.result.error, `error-${this.id}`));
  }

  destroy(): void {}
}
