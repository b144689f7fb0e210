// docs/SCENARIO.md and docs/limits.md describe what the engine reads: a field,
// an option or a default added to the engine without its line in the docs fails here.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASET_NAMES, DEFAULT_NOISE } from '../../core/datasets';
import { CELL_FIELDS, COMMON_FIELDS } from '../../core/evaluate';
import { LIMIT_INFO, LIMIT_NAMES, settingOf } from '../../core/limits';
import { ACTIVATION_NAMES } from '../../core/compute/activations';
import { OPTIMIZER_DEFAULTS } from '../../core/nn/optimizers';

const doc = (name: string) => readFileSync(path.resolve(__dirname, '..', '..', 'docs', name), 'utf8');
const scenarioDoc = doc('SCENARIO.md');
/** The doc's table row that starts with `first` (its first cell). */
const row = (first: string) => scenarioDoc.split('\n').find((line) => line.replace(/\s+/g, ' ').startsWith(`| ${first} |`)) ?? '';

describe('docs/SCENARIO.md', () => {
  it.each(Object.entries(CELL_FIELDS))('has a "%s" cell section naming each of its fields', (type, fields) => {
    const section = scenarioDoc.split(/\n## /).find((s) => s.startsWith(`\`${type}\` cell`)) ?? '';
    expect(section, `no "## \`${type}\` cell" section`).not.toBe('');
    for (const field of fields) expect(section, field).toContain(`\`${field}`);
  });

  it('names the fields every cell has', () => {
    for (const field of COMMON_FIELDS) expect(row(`\`${field}\``), field).not.toBe('');
  });

  it('gives each optimizer its defaults', () => {
    for (const [type, defaults] of Object.entries(OPTIMIZER_DEFAULTS)) {
      const line = row(`\`"${type}"\``);
      for (const [field, value] of Object.entries(defaults)) {
        const written = Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
        expect(line, `${type}.${field}`).toContain(`\`${field}\` ${written}`);
      }
    }
  });

  it('names every activation and toy dataset, with its default noise', () => {
    for (const name of ACTIVATION_NAMES) expect(row('`model.activation`'), name).toContain(`"${name}"`);
    for (const name of DATASET_NAMES) {
      expect(row('`dataset` / `name`'), name).toContain(`"${name}"`);
      expect(row('`noise`'), name).toContain(`${name} \`${DEFAULT_NOISE[name]}\``);
    }
  });
});

describe('docs/limits.md', () => {
  it.each(LIMIT_NAMES)('names %s with its setting and its CLI flag', (name) => {
    const line = doc('limits.md')
      .split('\n')
      .find((l) => l.includes(`\`${settingOf(name)}\``));
    expect(line, settingOf(name)).toBeDefined();
    expect(line).toContain(`\`${LIMIT_INFO[name].flag}\``);
  });
});
