// UI state that must survive hide/show and reload (VS Code keeps it for us via
// setState); the numbers themselves always come from the host.
import { loadPersisted, savePersisted } from './vscodeApi';

export interface AxisRange {
  min: number;
  max: number;
}

export interface UiState {
  /** The scenario shown: the host's WebviewPanelSerializer reads it to restore the panel after a reload. */
  documentUri: string | null;
  selectedCellId: string | null;
  scrollY: number;
  /** EMA smoothing per train cell id. */
  smoothing: Record<string, number>;
  /** Zoomed x range per chart key. */
  zoom: Record<string, AxisRange>;
  /** Chart keys showing their table instead of the chart. */
  tableView: Record<string, boolean>;
}

function initialState(): UiState {
  const saved = loadPersisted() as Partial<UiState> | undefined;
  return {
    documentUri: typeof saved?.documentUri === 'string' ? saved.documentUri : null,
    selectedCellId: saved?.selectedCellId ?? null,
    scrollY: saved?.scrollY ?? 0,
    smoothing: saved?.smoothing ?? {},
    zoom: saved?.zoom ?? {},
    tableView: saved?.tableView ?? {},
  };
}

export const ui: UiState = initialState();

let pending = 0;
/** Persist soon; many changes in one burst (scrolling, zooming) are written once. */
export function persistUi(): void {
  if (pending) return;
  pending = window.setTimeout(() => {
    pending = 0;
    savePersisted(ui);
  }, 100);
}
