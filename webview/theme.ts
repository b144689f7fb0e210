// Chart colours come from VS Code's theme variables, re-read whenever VS Code
// switches theme (it swaps the body class and the variables together).
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

/** [r, g, b] of any CSS colour, resolved by a canvas so every syntax VS Code uses works. */
export function rgbOf(color: string): [number, number, number] {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return [128, 128, 128];
  ctx.fillStyle = color;
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(ctx.fillStyle);
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : [128, 128, 128];
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
  const blue = v('blue', '#3794ff');
  const orange = v('orange', '#d18616');
  const green = v('green', '#89d185');
  const purple = v('purple', '#b180d7');
  const yellow = v('yellow', '#cca700');
  const red = v('red', '#f14c4c');
  const highContrast = kind.startsWith('high-contrast');
  return {
    kind,
    fg,
    bg: cssVar(style, '--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'),
    grid: highContrast ? withAlpha(fg, 0.45) : withAlpha(fg, 0.15),
    outline: contrast || fg,
    ignored: withAlpha(fg, highContrast ? 0.45 : 0.25),
    positive: red,
    negative: blue,
    series: [blue, orange, green, purple, yellow, red],
    fontFamily: cssVar(style, '--vscode-font-family', 'system-ui, sans-serif'),
    fontSize: parseFloat(cssVar(style, '--vscode-font-size', '13')) || 13,
  };
}

export function classColor(p: Palette, index: number): string {
  return p.series[index % p.series.length];
}

/** Calls `onChange` after VS Code swaps the theme class on <body>. */
export function watchTheme(onChange: () => void): void {
  let last = document.body.className;
  new MutationObserver(() => {
    if (document.body.className === last) return;
    last = document.body.className;
    onChange();
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
