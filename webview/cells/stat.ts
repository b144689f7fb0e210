// One named figure with its definition on hover (a title attribute), as the
// streamed-cell and calibration views show their numbers.
import { el } from '../dom';

export const stat = (label: string, value: string, definition: string, testId?: string): HTMLElement =>
  el(
    'div',
    { class: 'stat', title: definition },
    el('span', { class: 'stat-label' }, label),
    el('output', { class: 'stat-value', 'data-testid': testId }, value),
  );
