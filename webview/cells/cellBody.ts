// What every cell kind's view provides to the cell frame.
import type { CellState } from '../../core/runState';
import type { Palette } from '../theme';

export interface CellBody {
  readonly root: HTMLElement;
  update(cell: CellState, palette: Palette): void;
  destroy(): void;
}
