// Zoom and pan for curves: Ctrl+wheel or pinch zooms x, dragging pans x (plain
// wheel keeps scrolling the panel). The range is remembered per figure.
import type { ZoomPluginOptions } from 'chartjs-plugin-zoom/types/options';
import type { Figure } from './figure';

export function zoomOptions(figure: Figure): ZoomPluginOptions {
  const remember = () => figure.rememberZoom();
  return {
    zoom: { wheel: { enabled: true, modifierKey: 'ctrl' }, pinch: { enabled: true }, mode: 'x', onZoomComplete: remember },
    pan: { enabled: true, mode: 'x', onPanComplete: remember },
  };
}

/** The saved x range as scale options, to rebuild a chart where the user left it. */
export function savedRange(figure: Figure): { min?: number; max?: number } {
  return figure.savedZoom() ?? {};
}
