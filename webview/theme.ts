// Chart colours come from VS Code's theme variables, re-read whenever VS Code
// switches theme (it swaps the body class and the variables together); the
// palette itself is worked out from them in palette.ts.
import { parseCanvasColor, type Rgb, type Rgba } from './colors';
import { paletteOf, type Palette, type ThemeKind } from './palette';

export type { Palette, ThemeKind } from './palette';

function themeKind(body: HTMLElement): ThemeKind {
  if (body.classList.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (body.classList.contains('vscode-high-contrast')) return 'high-contrast';
  return body.classList.contains('vscode-light') ? 'light' : 'dark';
}

let probe: CanvasRenderingContext2D | null = null;

/** [r, g, b, a] of any CSS colour, resolved by a canvas so every syntax VS Code uses works. */
export function rgbaOf(color: string): Rgba {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return [128, 128, 128, 1];
  probe.fillStyle = '#808080'; // what an unparsable colour leaves behind
  probe.fillStyle = color;
  return parseCanvasColor(String(probe.fillStyle)) ?? [128, 128, 128, 1];
}

/** [r, g, b] of an opaque CSS colour (the palette's colours all are). */
export function rgbOf(color: string): Rgb {
  const [r, g, b] = rgbaOf(color);
  return [r, g, b];
}

/** A palette colour made translucent (a shaded area over the chart). */
export function withAlpha(color: string, alpha: number): string {
  const [r, g, b] = rgbOf(color);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

export function readPalette(): Palette {
  const body = document.body;
  const style = getComputedStyle(body);
  return paletteOf({ kind: themeKind(body), cssVar: (name) => style.getPropertyValue(name).trim(), parse: rgbaOf });
}

export function classColor(p: Palette, index: number): string {
  return p.series[index % p.series.length];
}

/**
 * Calls `onChange` after VS Code switches theme: it swaps the body's class and
 * theme attributes and the variables on <html> (two light themes share a class).
 */
export function watchTheme(onChange: () => void): void {
  const signature = () =>
    `${document.body.className}|${document.body.dataset.vscodeThemeId ?? ''}|${document.documentElement.getAttribute('style') ?? ''}`;
  let last = signature();
  const observer = new MutationObserver(() => {
    const now = signature();
    if (now === last) return;
    last = now;
    onChange();
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
}
