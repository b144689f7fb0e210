// Colour arithmetic for the palette: alpha compositing over the panel's
// background and WCAG contrast, so every series stays visible in every theme
// (VS Code's Modern themes give some chart colours a 33 % alpha).
export type Rgb = [number, number, number];
export type Rgba = [number, number, number, number];

/** Parses what a canvas gives back for a fillStyle: "#rrggbb" or "rgba(r, g, b, a)". */
export function parseCanvasColor(text: string): Rgba | null {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(text);
  if (hex) return [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16), 1];
  const rgba = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/i.exec(text);
  if (!rgba) return null;
  return [Number(rgba[1]), Number(rgba[2]), Number(rgba[3]), rgba[4] === undefined ? 1 : Number(rgba[4])];
}

/** The colour a translucent `c` shows over an opaque `bg`. */
export function over(c: Rgba, bg: Rgb): Rgb {
  const a = c[3];
  return [0, 1, 2].map((i) => Math.round(c[i] * a + bg[i] * (1 - a))) as Rgb;
}

/** WCAG 2 relative luminance. */
export function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t)) as Rgb;
}

/**
 * `c` as drawn on the first background, moved towards black or white (whichever
 * the backgrounds are further from) just far enough to reach `minRatio` against
 * every background; colours that already stand out are left as they are.
 */
export function standOut(c: Rgba, backgrounds: Rgb[], minRatio: number): Rgb {
  const base = over(c, backgrounds[0]);
  const worst = (x: Rgb) => Math.min(...backgrounds.map((bg) => contrast(x, bg)));
  if (worst(base) >= minRatio) return base;
  const darkBackground = luminance(backgrounds[0]) < 0.18;
  const target: Rgb = darkBackground ? [255, 255, 255] : [0, 0, 0];
  for (let t = 0.05; t < 1; t += 0.05) {
    const candidate = mix(base, target, t);
    if (worst(candidate) >= minRatio) return candidate;
  }
  return target;
}

/**
 * `c` faded towards `bg` by `most` (0: unchanged, 1: the background) or less: as far as keeps
 * `minRatio` against `bg`. A colour already under `minRatio` stays as it is.
 */
export function fade(c: Rgb, bg: Rgb, most: number, minRatio: number): Rgb {
  for (let t = most; t > 0; t -= 0.05) {
    const candidate = mix(c, bg, t);
    if (contrast(candidate, bg) >= minRatio) return candidate;
  }
  return c;
}

export function hex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
