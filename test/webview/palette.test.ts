// The panel's colours in each of VS Code's eight built-in themes, worked out by
// webview/palette.ts from the theme colours VS Code 1.139 gives a webview
// (written out in test/webview/themes.js, dumped from the real panel): every
// legend swatch and series must have WCAG 3:1 against the chart's background.
// Dark High Contrast's raw loss and accuracy curves were near black on black.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contrast, hex, parseCanvasColor, type Rgb, type Rgba } from '../../webview/colors';
import { paletteOf, type ThemeKind } from '../../webview/palette';

interface Theme {
  bodyClass: string;
  vars: Record<string, string>;
}
/** themes.js is a browser script that sets window.harnessThemes: run it with a window of our own. */
function builtInThemes(): Record<string, Theme> {
  const window: { harnessThemes?: Record<string, Theme> } = {};
  new Function('window', readFileSync(join(__dirname, 'themes.js'), 'utf8'))(window);
  return window.harnessThemes!;
}
const THEMES = builtInThemes();

/** The body classes VS Code gives a webview, as webview/theme.ts reads them. */
function kindOf(bodyClass: string): ThemeKind {
  if (bodyClass.includes('vscode-high-contrast-light')) return 'high-contrast-light';
  if (bodyClass.includes('vscode-high-contrast')) return 'high-contrast';
  return bodyClass.includes('vscode-light') ? 'light' : 'dark';
}
function parse(color: string): Rgba {
  const rgba = parseCanvasColor(color);
  if (!rgba) throw new Error(`a theme colour this test cannot read: ${color}`);
  return rgba;
}
const rgb = (color: string): Rgb => parse(color).slice(0, 3) as Rgb;

function palette(name: string) {
  const { bodyClass, vars } = THEMES[name];
  return paletteOf({ kind: kindOf(bodyClass), cssVar: (v) => vars[v] ?? '', parse });
}

describe('the panel palette in every built-in theme', () => {
  it("covers VS Code 1.139's eight built-in colour themes", () => {
    expect(Object.keys(THEMES).sort()).toEqual(
      ['dark', 'dark-2026', 'dark-modern', 'high-contrast', 'high-contrast-light', 'light', 'light-2026', 'light-modern'].sort(),
    );
  });

  it.each(Object.keys(THEMES))('%s: every training-curve legend swatch has ≥ 3:1 against the editor background', (name) => {
    const p = palette(name);
    const background = rgb(THEMES[name].vars['--vscode-editor-background']);
    for (const [curve, color] of Object.entries(p.curves))
      expect(contrast(rgb(color), background), `${name} ${curve}: ${color} on ${hex(background)}`).toBeGreaterThanOrEqual(3);
  });

  it.each(Object.keys(THEMES))('%s: each raw curve is fainter than its EMA, so the legend tells them apart', (name) => {
    const p = palette(name);
    const background = rgb(THEMES[name].vars['--vscode-editor-background']);
    const ratio = (color: string) => contrast(rgb(color), background);
    expect(p.curves.lossRaw).not.toBe(p.curves.loss);
    expect(p.curves.accuracyRaw).not.toBe(p.curves.accuracy);
    expect(ratio(p.curves.lossRaw)).toBeLessThan(ratio(p.curves.loss));
    expect(ratio(p.curves.accuracyRaw)).toBeLessThan(ratio(p.curves.accuracy));
  });

  it.each(Object.keys(THEMES))('%s: every class series and the signs have ≥ 3:1 against the editor and widget backgrounds', (name) => {
    const p = palette(name);
    const { vars } = THEMES[name];
    const backgrounds = ['--vscode-editor-background', '--vscode-editorWidget-background'].map((v) =>
      rgb(vars[v] ?? vars['--vscode-editor-background']),
    );
    for (const color of [...p.series, p.positive, p.negative])
      for (const bg of backgrounds) expect(contrast(rgb(color), bg), `${name}: ${color} on ${hex(bg)}`).toBeGreaterThanOrEqual(3);
  });
});
