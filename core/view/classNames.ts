// The name of every class of a loss view, for the panel, the CLI's summary and
// a streamed cell's row pages.
import { layoutOf } from '../compute/layout';
import type { LossView } from '../results';

/** The scenario's names, else "0", "1", … (made where shown: 50,257 of them need not travel). */
export function classNames(view: Pick<LossView, 'classes' | 'shape'>): string[] {
  return view.classes ?? Array.from({ length: layoutOf(view.shape).classes }, (_, c) => String(c));
}
