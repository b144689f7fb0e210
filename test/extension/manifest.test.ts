// Onboarding the VS Code way, as package.json contributes it: a walkthrough
// featured in workspaces with scenarios (each step with an image for light and
// dark themes, a completion event and commands that exist), and a "New File…"
// entry for a scenario.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const contributes = manifest.contributes;
const commands = new Set<string>(contributes.commands.map((c: { command: string }) => c.command));

interface Step {
  id: string;
  title: string;
  description: string;
  media: { image: Record<string, string>; altText: string };
  completionEvents: string[];
}

describe('the walkthrough', () => {
  const [walkthrough] = contributes.walkthroughs;
  const steps: Step[] = walkthrough.steps;

  it('is featured where scenarios are, in five steps', () => {
    expect(walkthrough.featuredFor).toEqual(['**/*.ce.json']);
    expect(steps.map((s) => s.id)).toEqual(['openScenario', 'dragAndUndo', 'trainAndStop', 'copyAsPytorch', 'ownLogits']);
  });

  it.each(steps.map((s) => [s.id, s] as [string, Step]))('%s: an image per theme kind, alt text, a completion event', (_id, step: Step) => {
    for (const kind of ['light', 'dark', 'hc', 'hcLight']) {
      const image = path.join(ROOT, step.media.image[kind]);
      expect(existsSync(image), step.media.image[kind]).toBe(true);
      expect(readFileSync(image).subarray(1, 4).toString()).toBe('PNG');
    }
    expect(step.media.image.light).not.toBe(step.media.image.dark);
    expect(step.media.altText.length).toBeGreaterThan(20);
    expect(step.completionEvents.length).toBeGreaterThan(0);
    // Its buttons run commands that exist (CE Lab's own, or VS Code's undo).
    for (const [, command] of step.description.matchAll(/\(command:([\w.]+)\)/g))
      expect(commands.has(command) || command === 'undo', command).toBe(true);
    for (const event of step.completionEvents) {
      const command = /^onCommand:(.+)$/.exec(event)?.[1];
      expect(command && (commands.has(command) || command === 'undo'), event).toBe(true);
    }
  });
});

describe('File → New File…', () => {
  it('offers "CE Lab Scenario"', () => {
    expect(contributes.menus['file/newFile']).toEqual([{ command: 'ceLab.newScenario', group: 'file' }]);
    const command = contributes.commands.find((c: { command: string }) => c.command === 'ceLab.newScenario');
    expect(command.shortTitle).toBe('CE Lab Scenario');
  });
});
