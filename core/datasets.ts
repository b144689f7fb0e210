// Seeded 2-D toy datasets for train cells, in the spirit of scikit-learn's
// make_blobs / make_moons / make_circles and the cs231n spiral.
import { assertNever } from './assertNever';
import type { MT19937 } from './random';

export const DATASET_NAMES = ['blobs', 'moons', 'circles', 'spiral'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export interface Dataset {
  x: number[][];
  target: number[];
}

export const DEFAULT_NOISE: Record<DatasetName, number> = { blobs: 0.6, moons: 0.1, circles: 0.05, spiral: 0.2 };

/** Sample i of n belongs to class floor(i·k/n): classes as equal as n allows, in order. */
const classOf = (i: number, n: number, k: number) => Math.floor((i * k) / n);

function blobs(n: number, classes: number, noise: number, g: MT19937): Dataset {
  const x: number[][] = [];
  const target: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = classOf(i, n, classes);
    const angle = (2 * Math.PI * c) / classes;
    x.push([3 * Math.cos(angle) + noise * g.nextNormal(), 3 * Math.sin(angle) + noise * g.nextNormal()]);
    target.push(c);
  }
  return { x, target };
}

/** Two interleaving half circles; always 2 classes. */
function moons(n: number, noise: number, g: MT19937): Dataset {
  const x: number[][] = [];
  const target: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = classOf(i, n, 2);
    const t = Math.PI * g.nextDouble();
    const [px, py] = c === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    x.push([px + noise * g.nextNormal(), py + noise * g.nextNormal()]);
    target.push(c);
  }
  return { x, target };
}

/** Concentric rings, one per class, radii (c+1)/classes. */
function circles(n: number, classes: number, noise: number, g: MT19937): Dataset {
  const x: number[][] = [];
  const target: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = classOf(i, n, classes);
    const t = 2 * Math.PI * g.nextDouble();
    const r = (c + 1) / classes;
    x.push([r * Math.cos(t) + noise * g.nextNormal(), r * Math.sin(t) + noise * g.nextNormal()]);
    target.push(c);
  }
  return { x, target };
}

/** Interleaved spiral arms, one per class. */
function spiral(n: number, classes: number, noise: number, g: MT19937): Dataset {
  const x: number[][] = [];
  const target: number[] = [];
  const perClass = n / classes;
  for (let i = 0; i < n; i++) {
    const c = classOf(i, n, classes);
    const r = (i - c * perClass) / perClass;
    const t = (c * 2 * Math.PI) / classes + 4 * r + noise * g.nextNormal();
    x.push([r * Math.sin(t), r * Math.cos(t)]);
    target.push(c);
  }
  return { x, target };
}

export function makeDataset(name: DatasetName, n: number, classes: number, noise: number, g: MT19937): Dataset {
  switch (name) {
    case 'blobs':
      return blobs(n, classes, noise, g);
    case 'moons':
      return moons(n, noise, g);
    case 'circles':
      return circles(n, classes, noise, g);
    case 'spiral':
      return spiral(n, classes, noise, g);
    default:
      return assertNever(name, 'dataset');
  }
}
