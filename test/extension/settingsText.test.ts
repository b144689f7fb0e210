// "Raise these limits for this workspace" as text: exactly the listed settings
// are written into .vscode/settings.json, the rest of the file as it was.
import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { limitSettings, withSettings } from '../../extension/settingsText';

const limits = [
  { setting: 'ceLab.limits.maxElements', needed: 50_000_000 },
  { setting: 'ceLab.limits.maxTotalElements', needed: 50_000_000 },
];

describe('withSettings', () => {
  it('writes a new settings file with exactly the listed settings', () => {
    const text = withSettings('', limitSettings(limits))!;
    expect(parse(text)).toEqual({ 'ceLab.limits.maxElements': 50_000_000, 'ceLab.limits.maxTotalElements': 50_000_000 });
  });

  it("adds to a user's file, keeping its comments and other settings, and replaces a lower value", () => {
    const before = '{\n  // my editor\n  "editor.tabSize": 4,\n  "ceLab.limits.maxElements": 1000,\n}\n';
    const text = withSettings(before, limitSettings(limits))!;
    expect(text).toContain('// my editor');
    expect(parse(text, [], { allowTrailingComma: true })).toEqual({
      'editor.tabSize': 4,
      'ceLab.limits.maxElements': 50_000_000,
      'ceLab.limits.maxTotalElements': 50_000_000,
    });
    // Only what changed: the lines before the limits are untouched.
    expect(text.startsWith('{\n  // my editor\n  "editor.tabSize": 4,\n')).toBe(true);
  });

  it('leaves a settings file that is not a JSON object alone (null: the command says so instead)', () => {
    expect(withSettings('[1, 2]', limitSettings(limits))).toBeNull();
    expect(withSettings('{ "a": ', limitSettings(limits))).toBeNull();
  });
});
