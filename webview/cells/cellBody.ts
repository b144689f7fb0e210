// What every cell kind's view provides to the cell frame.
import type { PanelCellState } from '../../core/view';
import type { Palette } from '../theme';

export interface CellBody {
  readonly root: HTMLElement;
  update(cell: PanelCellState, palette: Palette): void;
  destroy(): void;
}

/** Where a cell sits in the document now: edits address cells[index], which moves when cells are added above. */
export interface CellPlace {
  index: number;
}
