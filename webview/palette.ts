// The panel's colours worked out from a theme's colours alone (no DOM), so a
// unit test can check them against every built-in theme: each is the opaque
// colour it shows on the panel and, where it would be faint, moved until it
// has MIN_SERIES_CONTRAST against the backgrounds it is drawn on.
import { fade, hex, over, standOut, type Rgb, type Rgba } from './colors';

/** WCAG's minimum for graphics (1.4.11 non-text contrast). */
export const MIN_SERIES_CONTRAST = 3;
export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

/** A training cell's four curves: the smoothed (EMA) ones at full strength, the raw ones fainter, every one still ≥ 3:1. */
export interface CurveColors {
  loss: string;
  lossRaw: string;
  accuracy: string;
  accuracyRaw: string;
}

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
  curves: CurveColors;
  fontFamily: string;
  fontSize: number;
}

/** What a palette is made of: the theme's kind, its CSS variables (`''` when unset) and a CSS colour parser. */
export interface ThemeColors {
  kind: ThemeKind;
  /** The value of a `--vscode-…` variable, trimmed; `''` when the theme does not set it. */
  cssVar: (name: string) => string;
  /** [r, g, b, a] of a CSS colour. */
  parse: (color: string) => Rgba;
}

/** How far a raw curve fades towards the background, at most (its old look: 30 % opacity). */
const RAW_CURVE_FADE = 0.7;

export function paletteOf({ kind, cssVar, parse }: ThemeColors): Palette {
  const read = (name: string, fallback: string) => cssVar(name) || fallback;
  const dark = kind === 'dark' || kind === 'high-contrast';
  const fg = read('--vscode-editor-foreground', dark ? '#cccccc' : '#333333');
  const contrast = read('--vscode-contrastBorder', '');
  const v = (name: string, fallback: string) => read(`--vscode-charts-${name}`, fallback);
  const highContrast = kind.startsWith('high-contrast');
  // The editor background (chart canvases) and the cell's widget background (logit bars) behind every series.
  const bg = over(parse(read('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff')), dark ? [0, 0, 0] : [255, 255, 255]);
  const widget = over(parse(read('--vscode-editorWidget-background', hex(bg))), bg);
  // A translucent theme colour (Modern themes' orange is rgba(234, 92, 0, 0.33), a highlight) would
  // composite to a pale or muddy tone: a series takes its hue at full strength, then the contrast check.
  const seriesRgb = (color: string): Rgb => {
    const [r, g, b] = parse(color);
    return standOut([r, g, b, 1], [bg, widget], MIN_SERIES_CONTRAST);
  };
  const onBg = (color: string, alpha: number): string => {
    const [r, g, b, a] = parse(color);
    return hex(over([r, g, b, a * alpha], bg));
  };
  // A raw curve was its colour at 30 % opacity: near black on Dark High Contrast's black. It fades
  // towards the canvas only as far as keeps it at 3:1 (the smoothed curve and the line width tell them apart).
  const raw = (c: Rgb) => hex(fade(c, bg, RAW_CURVE_FADE, MIN_SERIES_CONTRAST));
  const blue = seriesRgb(v('blue', '#3794ff'));
  const red = seriesRgb(v('red', '#f14c4c'));
  const green = seriesRgb(v('green', '#89d185'));
  return {
    kind,
    fg,
    bg: hex(bg),
    grid: onBg(fg, highContrast ? 0.45 : 0.15),
    outline: contrast || fg,
    ignored: onBg(fg, highContrast ? 0.45 : 0.25),
    positive: hex(red),
    negative: hex(blue),
    series: [
      hex(blue),
      hex(seriesRgb(v('orange', '#d18616'))),
      hex(green),
      hex(seriesRgb(v('purple', '#b180d7'))),
      hex(seriesRgb(v('yellow', '#cca700'))),
      hex(red),
    ],
    curves: { loss: hex(blue), lossRaw: raw(blue), accuracy: hex(green), accuracyRaw: raw(green) },
    fontFamily: read('--vscode-font-family', 'system-ui, sans-serif'),
    fontSize: parseFloat(read('--vscode-font-size', '13')) || 13,
  };
}
