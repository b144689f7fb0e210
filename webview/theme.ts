// Chart colours come from VS Code's theme variables, re-read whenever VS Code
// switches theme (it swaps the body class and the variables together). Each is
// resolved to the opaque colour it shows on the panel and, where it would be
// faint, moved until it has MIN_SERIES_CONTRAST against the backgrounds it is drawn on.
import { hex, over, parseCanvasColor, standOut, type Rgb, type Rgba } from './colors';

/** WCAG's minimum for graphics (1.4.11 non-text contrast). */
export const MIN_SERIES_CONTRAST = 3;
export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface Palette {
  kind: ThemeKind;
  fg: string;
  bg: string;
  grid: string;
  /** Outline colour: the contrast border in high-contrast themes, else the foreground. */
  outline: string;
  ignored: string;
  positive: string;
  negative: string;
  /** One colour per class, cycled. */
  series: string[];
  fontFamily: string;
  fontSize: number;
}

function themeKind(body: HTMLElement): ThemeKind {
  if (body.classList.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (body.classList.contains('vscode-high-contrast')) return 'high-contrast';
  return body.classList.contains('vscode-light') ? 'light' : 'dark';
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
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

export function withAlpha(color: string, alpha: number): string {
  const [r, g, b] = rgbOf(color);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

export function readPalette(): Palette {
  const body = document.body;
  const style = getComputedStyle(body);
  const kind = themeKind(body);
  const dark = kind === 'dark' || kind === 'high-contrast';
  const fg = cssVar(style, '--vscode-editor-foreground', dark ? '#cccccc' : '#333333');
  const contrast = cssVar(style, '--vscode-contrastBorder', '');
  const v = (name: string, fallback: string) => cssVar(style, `--vscode-charts-${name}`, fallback);
  const highContrast = kind.startsWith('high-contrast');
  // The editor background (chart canvases) and the cell's widget background (logit bars) behind every series.
  const bg = over(rgbaOf(cssVar(style, '--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff')), dark ? [0, 0, 0] : [255, 255, 255]);
  const widget = over(rgbaOf(cssVar(style, '--vscode-editorWidget-background', hex(bg))), bg);
  // A translucent theme colour (Modern themes' orange is rgba(234, 92, 0, 0.33), a highlight) would
  // composite to a pale or muddy tone: a series takes its hue at full strength, then the contrast check.
  const series = (color: string) => {
    const [r, g, b] = rgbaOf(color);
    return hex(standOut([r, g, b, 1], [bg, widget], MIN_SERIES_CONTRAST));
  };
  const onBg = (color: string, alpha: number): string => {
    const [r, g, b, a] = rgbaOf(color);
    return hex(over([r, g, b, a * alpha], bg));
  };
  const blue = series(v('blue', '#3794ff'));
  const red = series(v('red', '#f14c4c'));
  return {
    kind,
    fg,
    bg: hex(bg),
    grid: onBg(fg, highContrast ? 0.45 : 0.15),
    outline: contrast || fg,
    ignored: onBg(fg, highContrast ? 0.45 : 0.25),
    positive: red,
    negative: blue,
    series: [
      blue,
      series(v('orange', '#d18616')),
      series(v('green', '#89d185')),
      series(v('purple', '#b180d7')),
      series(v('yellow', '#cca700')),
      red,
    ],
    fontFamily: cssVar(style, '--vscode-font-family', 'system-ui, sans-serif'),
    fontSize: parseFloat(cssVar(style, '--vscode-font-size', '13')) || 13,
  };
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
