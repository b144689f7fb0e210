// Keeps a cell's figures by key, creating them on first use and dropping the
// ones a new result no longer needs (e.g. bars -> summary when N grows).
import { Figure, type FigureOptions } from '../charts/figure';

export class FigureSet {
  private figures = new Map<string, Figure>();
  constructor(private readonly container: HTMLElement) {}

  /** Makes exactly these figures present, in this order, and returns them by key. */
  use(specs: FigureOptions[]): Map<string, Figure> {
    const next = new Map<string, Figure>();
    for (const spec of specs) next.set(spec.key, this.figures.get(spec.key) ?? new Figure(spec));
    const same = next.size === this.figures.size && [...next.keys()].every((k, i) => [...this.figures.keys()][i] === k);
    for (const [key, figure] of this.figures) if (!next.has(key)) figure.destroy();
    this.figures = next;
    // Re-inserting unchanged canvases would make Chart.js detach and re-measure them.
    if (!same) this.container.replaceChildren(...[...next.values()].map((f) => f.root));
    return next;
  }

  destroy(): void {
    for (const figure of this.figures.values()) figure.destroy();
    this.figures.clear();
  }
}
