// The editor half of CE Lab in a real VS Code (code-server driven by headless
// Chromium): how fast an edit reaches the panel (keystroke, panel knob, Open
// Visualizer, a 2 s slider drag; p50/p95 written to test-artifacts/e2e/latency.json), Stop on a
// 1e6-step training from the editor title, the palette and the panel (each beside an echo extension's Ping from the
// same place, VS Code's floor), broken JSON, hover, snippets and a misspelt key.
// `npm run bench:latency` runs the latency part alone.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { echoExtensionVsix } from './echoExtension';
import { numbers, sorixMeanCe, stepOf } from './scenarios';
import { codeServerMissing, useWorkbench } from './suite';
import { ARTIFACTS, frameWith, goTo, openVisualizerLens, panelFrame, runCommand, screenshot, typeInCommandPalette, waitForText } from './workbench';

/** Edits per latency figure (the issue asks for at least 20). */
const SAMPLES = Number(process.env.CE_LAB_LATENCY_SAMPLES ?? 24);
/**
 * Stops of a running 1e6-step training from each of the three places (each one a fresh run): 20 for the bench's
 * figures, 5 inside the whole end-to-end run, where they show that Stop works from each place and stays near its floor.
 */
const STOPS = Number(process.env.CE_LAB_LATENCY_STOPS ?? (process.env.CE_LAB_LATENCY_STRICT === '1' ? 20 : 5));

const scenario = (cells: object[]) => JSON.stringify({ version: 1, cells }, null, 2);
/** This suite's files, beside the examples and long.ce.json (the 1e6-step training) of the shared workspace. */
const FILES: Record<string, string> = {
  'typo.ce.json': scenario([{ type: 'loss', id: 'typo', logits: [[2.0, 1.0, 0.1]], target: [0], label_smothing: 0.25 }]),
  'help.ce.json': scenario([{ type: 'loss', id: 'help', logits: [[2.0, 1.0, 0.1]], target: [0], label_smoothing: 0.1 }]),
  'blank.ce.json': '{\n  "version": 1,\n  "cells": [\n    \n  ]\n}\n',
};

interface Figure {
  samples: number;
  p50: number;
  p95: number;
  max: number;
  budget: number;
}
function figure(ms: number[], budget: number): Figure {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const round = (v: number) => Math.round(v * 10) / 10;
  return { samples: ms.length, p50: round(at(0.5)), p95: round(at(0.95)), max: round(sorted.at(-1)!), budget };
}

/**
 * `npm run bench:latency` (CE_LAB_LATENCY_STRICT=1) holds each p95 to its budget. Inside the
 * whole end-to-end run the figures are measured, printed and written to latency.json, not held:
 * timings are the bench's job, and a test must not fail on a busy machine.
 */
const STRICT = process.env.CE_LAB_LATENCY_STRICT === '1';
function expectWithinBudget(f: Figure): void {
  const [load, count] = [loadavg()[0], cpus().length];
  if (STRICT) expect(f.p95, JSON.stringify(f)).toBeLessThanOrEqual(f.budget);
  else console.log(`measured (held to budget only by npm run bench:latency; load average ${load.toFixed(1)} on ${count} CPUs): ${JSON.stringify(f)}`);
}

/** The Stop median every run is held to (the budget, 100 ms, is bench:latency's). */
const STOP_MEDIAN_CEILING_MS = 400;

/** Wall-clock milliseconds in any frame: frames have their own timeOrigin, not their own clock. */
const NOW = 'performance.timeOrigin + performance.now()';

/** Records, in the panel frame, when the text of `selector` changes (watching the whole body: the panel may replace nodes). */
async function watchText(frame: Frame, selector: string, name = 'text'): Promise<void> {
  await frame.evaluate(
    ({ selector, now, name }) => {
      const w = window as unknown as { __ceChanges?: Record<string, [number, string][]>; __ceObservers?: Record<string, MutationObserver> };
      const [changes, observers] = [(w.__ceChanges ??= {}), (w.__ceObservers ??= {})];
      observers[name]?.disconnect();
      const seen: [number, string][] = (changes[name] = []);
      let last = document.querySelector(selector)?.textContent ?? '';
      const clock = new Function(`return ${now}`) as () => number;
      observers[name] = new MutationObserver(() => {
        const text = document.querySelector(selector)?.textContent ?? '';
        if (text !== last) seen.push([clock(), (last = text)]);
      });
      observers[name].observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    },
    { selector, now: NOW, name },
  );
}
/** What watchText(frame, …, name) has seen: [time, text]. */
async function changes(frame: Frame, name = 'text'): Promise<[number, string][]> {
  return frame.evaluate((name) => (window as unknown as { __ceChanges: Record<string, [number, string][]> }).__ceChanges[name], name);
}

/**
 * Records, in a page or frame, when input arrives (keydown / pointerdown, capture phase: before anything handles
 * them) and when each host message arrives (a notice's method, or `events:<kinds>` for a draw request; splits a latency into host and panel parts).
 */
async function watchEvents(target: Page | Frame): Promise<void> {
  await target.evaluate((now) => {
    const w = window as unknown as { __ceEvents: [number, 'input' | 'message', string][]; __ceWatching?: boolean };
    w.__ceEvents = [];
    if (w.__ceWatching) return;
    w.__ceWatching = true;
    const clock = new Function(`return ${now}`) as () => number;
    const input = (e: Event) => w.__ceEvents.push([clock(), 'input', e instanceof KeyboardEvent ? e.key : e.type]);
    window.addEventListener('keydown', input, true);
    window.addEventListener('pointerdown', input, true);
    window.addEventListener(
      'message',
      // The host's channel messages (core/channel.ts): a `draw` request carries events, a notice its method.
      (e: MessageEvent<{ kind?: string; method?: string; params?: { events?: { kind: string }[] } }>) => {
        const m = e.data;
        if (m?.kind === 'request' && m.method === 'draw')
          w.__ceEvents.push([clock(), 'message', `events:${(m.params?.events ?? []).map((x) => x.kind).join(',')}`]);
        else if (m?.kind === 'notice' && m.method) w.__ceEvents.push([clock(), 'message', m.method]);
      },
      true,
    );
  }, NOW);
}
/** What watchEvents recorded of one kind since it was last called on `target`: [time, key / event type / message]. */
async function recorded(target: Page | Frame, kind: 'input' | 'message'): Promise<[number, string][]> {
  const all = await target.evaluate(() => (window as unknown as { __ceEvents: [number, 'input' | 'message', string][] }).__ceEvents);
  return all.filter((e) => e[1] === kind).map(([time, , what]) => [time, what]);
}
const inputs = (target: Page | Frame) => recorded(target, 'input');
const messages = (frame: Frame) => recorded(frame, 'message');

/** How long a drag lasts, and how often the pointer moves (as a hand's pointer does). */
const DRAG_MS = 2000;
const MOVE_MS = 16;

/**
 * A DRAG_MS drag of the range input `slider` in `frame`, across from `from` to `to` (fractions of its width) and back,
 * twice. Records in the frame, in wall-clock ms, each input event with `attribute` of the input (its value when null)
 * as read after the input's own handlers, and each change of the text of `shown`: [time, value] and [time, text].
 */
async function dragSlider(page: Page, frame: Frame, slider: string, from: number, to: number, shown: string, attribute: string | null) {
  await frame.evaluate(
    ({ now, attribute }) => {
      const w = window as unknown as { __ceSlides: [number, string][]; __ceSlideAttribute: string | null; __ceSliding?: boolean };
      [w.__ceSlides, w.__ceSlideAttribute] = [[], attribute];
      if (w.__ceSliding) return;
      w.__ceSliding = true;
      const clock = new Function(`return ${now}`) as () => number;
      // On the window, bubbling: after the input's own listeners.
      window.addEventListener('input', (e) => {
        const input = e.target as HTMLInputElement;
        w.__ceSlides.push([clock(), w.__ceSlideAttribute ? (input.getAttribute(w.__ceSlideAttribute) ?? '') : input.value]);
      });
    },
    { now: NOW, attribute },
  );
  await watchText(frame, shown, 'slid');
  const box = (await frame.locator(slider).boundingBox())!;
  const thumb = 16; // Chromium maps the thumb's centre, inset by half a thumb
  const xOf = (f: number) => box.x + thumb / 2 + (box.width - thumb) * f;
  const y = box.y + box.height / 2;
  await page.mouse.move(xOf(from), y);
  await page.mouse.down();
  const t0 = Date.now();
  for (let i = 1; Date.now() - t0 < DRAG_MS; i++) {
    const phase = ((Date.now() - t0) / DRAG_MS) * 4;
    const f = Math.floor(phase) % 2 === 0 ? phase % 1 : 1 - (phase % 1);
    await page.mouse.move(xOf(from + (to - from) * f), y);
    const wait = t0 + i * MOVE_MS - Date.now();
    if (wait > 0) await page.waitForTimeout(wait);
  }
  await page.mouse.up();
  const slides = await frame.evaluate(() => (window as unknown as { __ceSlides: [number, string][] }).__ceSlides);
  return { slides, shownChanges: await changes(frame, 'slid') };
}

/**
 * Per change of the text shown during a drag: the time since the latest input before it whose value the text shows
 * (`matches`). Changes that show no such value (none, or only an older one shown again) are left out.
 */
function slideLatencies(drag: { slides: [number, string][]; shownChanges: [number, string][] }, matches: (value: string, text: string) => boolean) {
  const ms: number[] = [];
  for (const [time, text] of drag.shownChanges) {
    const source = drag.slides.filter(([t, value]) => t <= time && matches(value, text)).at(-1);
    if (source) ms.push(time - source[0]);
  }
  return ms;
}

describe('CE Lab editor in real VS Code', () => {
  if (codeServerMissing()) return;
  let page: Page;
  let panel: Frame;
  const latency: Record<string, Figure> = {};
  const activeEditor = () => page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
  /** Opens a workspace file from the Explorer (Quick Open's file search can lag behind a fresh workbench); an open one by its tab. */
  async function openScenario(name: string): Promise<void> {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+1'); // the first editor group: the panel lives in the second
    const tab = page.locator('.tab', { hasText: name }).first();
    if (await tab.count()) await tab.click();
    else await page.locator('.explorer-folders-view').getByText(name, { exact: true }).first().dblclick();
    await page.locator('.tab.active', { hasText: name }).first().waitFor({ timeout: 15_000 });
    await activeEditor().waitFor();
  }
  /** The token `text` (e.g. `"logits"`) as the active editor renders it. */
  const token = (text: string) => page.locator('.editor-group-container.active .view-lines span[class^="mtk"]', { hasText: text }).first();
  /** The echo extension's webview, once it has opened. */
  const echoFrame = () => frameWith(page, '#echo', 15_000);

  // The shared workspace copy (its settings raise the limits for the 1e6-step training), with this suite's files.
  useWorkbench({
    name: 'editor',
    moreExtensions: () => [echoExtensionVsix()],
    prepare: (workspace) => {
      for (const [name, text] of Object.entries(FILES)) writeFileSync(path.join(workspace, name), text);
    },
    ready: (p) => (page = p),
  });

  afterAll(() => {
    if (Object.keys(latency).length) {
      mkdirSync(ARTIFACTS, { recursive: true });
      // How busy the machine was: the figures mean little without it.
      const machine = { cpus: cpus().length, loadAverage1m: Math.round(loadavg()[0] * 10) / 10 };
      writeFileSync(path.join(ARTIFACTS, 'latency.json'), JSON.stringify({ machine, ...latency }, null, 2));
      console.log('latency (ms):', JSON.stringify(latency, null, 2));
    }
  });

  const lossOf = '[data-testid="loss-two-samples"]';

  it('latency: keystroke in the editor → new loss in the panel', async () => {
    await openScenario('sorix.ce.json');
    await runCommand(page, 'CE Lab: Open Visualizer to the Side');
    panel = await panelFrame(page);
    await waitForText(panel, lossOf, (t) => numbers(t).includes('0.2159'));
    await watchEvents(page);
    const ms: number[] = [];
    const hostMs: number[] = [];
    // Line 15: `      "logits": [[2.0, 1.0, 0.1], ...`; column 19 is the first logit's integer digit: each sample types one digit over it, the last one 2 again.
    for (let i = 0; i < SAMPLES; i++) {
      const digit = String([3, 4, 1, 2][i % 4]);
      await goTo(page, 15, 19);
      await page.keyboard.press('Shift+ArrowRight');
      await page.waitForTimeout(150); // the selection settles; nothing else in flight
      await watchText(panel, lossOf);
      await watchEvents(panel);
      await watchEvents(page);
      await page.keyboard.press(digit);
      const expected = sorixMeanCe([Number(digit), 1, 0.1]);
      await waitForText(panel, lossOf, (t) => numbers(t).includes(expected), 10_000);
      const typed = (await inputs(page)).find(([, key]) => key === digit);
      const shown = (await changes(panel)).find(([, text]) => numbers(text).includes(expected));
      const arrived = (await messages(panel)).find(([, m]) => m.includes('cell-result'));
      expect(typed && shown && arrived, `keydown ${digit}, its result message and loss ${expected} all seen`).toBeTruthy();
      ms.push(shown![0] - typed![0]);
      hostMs.push(arrived![0] - typed![0]);
    }
    latency.keystrokeToPanel = figure(ms, 100);
    // The part before the panel: keystroke → the result's message arriving in the webview.
    latency.keystrokeToResultMessage = figure(hostMs, 100);
    console.log('keystroke → panel', latency.keystrokeToPanel, ms.map(Math.round).join(' '));
    console.log('keystroke → result message in the webview', latency.keystrokeToResultMessage, hostMs.map(Math.round).join(' '));
    expectWithinBudget(latency.keystrokeToPanel);
  });

  it('latency: panel knob (arrow key on label smoothing) → new loss in the panel', async () => {
    const knob = '[data-testid="knob-label_smoothing-two-samples"]';
    await panel.locator(knob).waitFor();
    await watchEvents(panel);
    const ms: number[] = [];
    const hostMs: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      await panel.locator(knob).focus();
      await page.waitForTimeout(150);
      const before = await panel.locator(lossOf).innerText();
      await watchText(panel, lossOf);
      await watchEvents(panel);
      // Up the scale for the first half, back down for the second: every press changes the loss.
      await page.keyboard.press(i < SAMPLES / 2 ? 'ArrowRight' : 'ArrowLeft');
      await waitForText(panel, lossOf, (t) => t !== before, 10_000);
      const pressed = (await inputs(panel)).find(([, key]) => key.startsWith('Arrow'));
      const shown = (await changes(panel))[0];
      const arrived = (await messages(panel)).find(([, m]) => m.includes('cell-result'));
      expect(pressed && shown && arrived, 'key press, result message and changed loss all seen').toBeTruthy();
      ms.push(shown[0] - pressed![0]);
      hostMs.push(arrived![0] - pressed![0]);
    }
    latency.knobToPanel = figure(ms, 50);
    latency.knobToResultMessage = figure(hostMs, 50);
    console.log('panel knob → panel', latency.knobToPanel, ms.map(Math.round).join(' '));
    console.log('panel knob → result message in the webview', latency.knobToResultMessage, hostMs.map(Math.round).join(' '));
    // As many steps down as up: the loss is sorix's again for the tests after this one.
    await waitForText(panel, lossOf, (t) => numbers(t).includes('0.2159'));
    expectWithinBudget(latency.knobToPanel);
  });

  it('latency: a 2 s drag of the temperature slider → the matching loss in the panel', async () => {
    const slider = '[data-testid="knob-temperature-two-samples"]';
    // The slider is logarithmic from 0.05 to 5: T sits at log(T/0.05)/log(100) of its width.
    const at = (t: number) => Math.log(t / 0.05) / Math.log(100);
    await panel.locator(slider).waitFor();
    const drag = await dragSlider(page, panel, slider, at(0.5), at(3), lossOf, 'aria-valuetext');
    const ms = slideLatencies(drag, (value, text) => numbers(text).includes(sorixMeanCe([2, 1, 0.1], Number(value.replace('T = ', '')))));
    expect(ms.length, `${drag.slides.length} inputs, ${drag.shownChanges.length} losses shown`).toBeGreaterThanOrEqual(5);
    latency.dragToPanel = figure(ms, 50);
    console.log(`drag → matching loss in the panel (${ms.length} of ${drag.shownChanges.length} changes)`, latency.dragToPanel);
    // The release writes the temperature into the scenario: once it is there, one undo in its editor takes it out.
    await openScenario('sorix.ce.json');
    await token('"temperature"').waitFor({ timeout: 10_000 });
    await activeEditor().click();
    await page.keyboard.press('Control+Z');
    await waitForText(panel, lossOf, (t) => numbers(t).includes('0.2159'));
  });

  /**
   * Up to 8 times: closes the webview beside the scenario (from its editor: the webview is in the other group), clicks
   * `lens` again and times the click to the first frame whose `selector` text passes `shown`, polled from here as fast
   * as the frames answer (no frame to watch from exists yet). The times, and the last frame that showed it.
   */
  async function timeOpens(lens: Locator, tab: Locator, selector: string, shown: (text: string) => boolean) {
    const ms: number[] = [];
    let last: Frame | undefined;
    for (let i = 0; i < Math.min(SAMPLES, 8); i++) {
      await openScenario('sorix.ce.json');
      await activeEditor().click();
      await page.keyboard.press('Control+Home'); // the lenses are on the first line
      await runCommand(page, 'View: Close Editors in Other Groups');
      await tab.waitFor({ state: 'detached', timeout: 10_000 });
      // Clicking the middle of the lines may scroll the editor past its top line, and with it the lens out of view.
      await page.keyboard.press('Control+Home');
      await lens.waitFor({ timeout: 30_000 });
      await page.waitForTimeout(300);
      await watchEvents(page);
      await lens.click();
      const deadline = Date.now() + 10_000;
      let shownAt = 0;
      while (!shownAt && Date.now() < deadline) {
        for (const frame of page.frames()) {
          const text = await frame.evaluate((sel) => document.querySelector(sel)?.textContent ?? '', selector).catch(() => '');
          if (shown(text)) [shownAt, last] = [Date.now(), frame];
        }
      }
      const clicked = (await inputs(page)).find(([, type]) => type === 'pointerdown');
      expect(shownAt && clicked, 'click and first numbers both seen').toBeTruthy();
      ms.push(shownAt - clicked![0]);
    }
    return { ms, frame: last };
  }

  it('latency: "Open visualizer" CodeLens → first numbers, worker warm', async () => {
    const lens = openVisualizerLens(page);
    const tab = page.locator('.tab', { hasText: 'CE Lab:' }).first();
    // Warm: the worker started and the scenario evaluated once.
    await openScenario('sorix.ce.json');
    await activeEditor().click();
    await page.keyboard.press('Control+Home');
    await lens.click();
    await waitForText(await panelFrame(page), lossOf, (t) => numbers(t).includes('0.2159'));
    const opened = await timeOpens(lens, tab, lossOf, (t) => numbers(t).includes('0.2159'));
    const ms = opened.ms;
    panel = opened.frame ?? panel;
    latency.openVisualizer = figure(ms, 500);
    console.log('Open visualizer → first numbers', latency.openVisualizer, ms.map(Math.round).join(' '));
    expectWithinBudget(latency.openVisualizer);
  });

  /**
   * The three places Stop is given from. Each gives it once (its Stop is on screen) and returns the wall-clock time
   * of the input that gave it (the click's pointerdown, the palette's Enter), recorded before anything handles it.
   */
  const stopPlaces: Record<string, () => Promise<number>> = {
    'editor-title Stop': () => clickTitleAction('.codicon-debug-stop'),
    'palette (CE Lab: Stop)': () => runFromPalette('CE Lab: Stop'),
    "the panel's Stop": async () => {
      await watchEvents(panel);
      await panel.locator('[data-testid="stop-all"]').click();
      return inputAt(panel, 'pointerdown');
    },
  };
  /**
   * VS Code's own floor for each of them: the same gesture given to the echo extension's Ping, which only posts a
   * count to its webview (test/e2e/echoExtension). Given during the same run, under the same load, just before Stop.
   */
  const pingPlaces: Record<string, (ping: Frame) => Promise<number>> = {
    'editor-title Stop': () => clickTitleAction('.codicon-pulse'),
    'palette (CE Lab: Stop)': () => runFromPalette('CE Lab Latency Floor: Ping'),
    "the panel's Stop": async (ping) => {
      await watchEvents(ping);
      await ping.locator('#ping').click();
      return inputAt(ping, 'pointerdown');
    },
  };
  const clickTitleAction = async (icon: string) => {
    // An inactive group hides its title actions: the scenario's group (the first) is the active one, as after a click in it.
    await page.keyboard.press('Control+1');
    // The title bar redraws its buttons when the active group changes: the button is looked up again until a click
    // lands on one that is shown (a redraw can take the one found first out of the page).
    const button = page.locator(`.editor-group-container.active .editor-actions ${icon}:visible`).first();
    for (let attempt = 1; ; attempt++) {
      await button.waitFor({ timeout: 15_000 });
      await watchEvents(page);
      try {
        await button.click({ timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    return inputAt(page, 'pointerdown');
  };
  const runFromPalette = async (command: string) => {
    await typeInCommandPalette(page, `>${command}`);
    // Enter runs the focused row: once the filter lists the command, move the focus to it (a recently used one may lead).
    await page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first().waitFor({ timeout: 15_000 });
    const focused = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: command });
    for (let row = 0; row < 5 && !(await focused.count()); row++) await page.keyboard.press('ArrowDown');
    await focused.waitFor({ timeout: 15_000 });
    await watchEvents(page);
    await page.keyboard.press('Enter');
    return inputAt(page, 'Enter');
  };
  const inputAt = async (target: Page | Frame, what: string) => (await inputs(target)).find(([, input]) => input === what)![0];

  /** The training's steps a millisecond, from the step counts the panel showed and when. */
  const stepsPerMs = (shown: [number, string][]) => {
    const [first, last] = [shown[0], shown.at(-1)];
    return first && last && last[0] > first[0] ? (stepOf(last[1]) - stepOf(first[1])) / (last[0] - first[0]) : NaN;
  };

  // The p95 is held to 100 ms and 1,000 steps past the click by bench:latency, like the other budgets (a CI machine
  // measured 114–122 ms where a quiet one measures 60–70). Every run holds the median to a ceiling that a stop waiting
  // behind the run's stream of progress (1.6–2.7 s before panelOutbox.ts) cannot meet.
  it('latency: Stop during a 1e6-step training → "stopped" in the panel, from the editor title, the palette and the panel, beside the floor', async () => {
    await openScenario('long.ce.json');
    await runCommand(page, 'CE Lab: Open Visualizer to the Side');
    panel = await panelFrame(page);
    await runCommand(page, 'CE Lab Latency Floor: Open Ping Panel');
    const ping = await frameWith(page, '#pinged', 15_000);
    await openScenario('long.ce.json'); // its editor active again, for the title's buttons
    // Three columns leave the scenario's title bar narrow: its buttons must not go to the "…" menu behind other tabs.
    await runCommand(page, 'View: Close Other Editors in Group');
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await page.locator('.editor-group-container .editor-actions .codicon-pulse:visible').first().waitFor({ timeout: 15_000 });
    const status = '[data-testid="status-long"]';
    const train = '[data-testid="train-status-long"]';
    const measured = Object.fromEntries(
      Object.keys(stopPlaces).map((place) => [
        place,
        { ms: [] as number[], doneMs: [] as number[], steps: [] as number[], engineSteps: [] as number[], floorMs: [] as number[] },
      ]),
    );
    try {
      // Round the three places in turn, so that whatever else loads the machine meets each of them alike.
      for (let i = 0; i < STOPS; i++) {
        for (const [place, stop] of Object.entries(stopPlaces)) {
          const m = measured[place];
          await panel.locator('[data-testid="run-all"]').click(); // a fresh run each time
          // Well into the stream: past the first batches, progress flowing at full rate.
          await waitForText(panel, train, (t) => stepOf(t) > 5000 && / · running/.test(t), 60_000);
          await watchText(panel, train, 'steps');
          // The floor first, the training running as it will be at Stop.
          await watchText(ping, '#pinged', 'ping');
          const pingedBefore = await ping.locator('#pinged').innerText();
          const pinged = await pingPlaces[place](ping);
          await waitForText(ping, '#pinged', (t) => t !== pingedBefore, 10_000);
          m.floorMs.push((await changes(ping, 'ping'))[0][0] - pinged);
          await watchText(panel, status);
          await watchEvents(panel);
          const stepBefore = stepOf(await panel.locator(train).innerText());
          const clicked = await stop();
          await waitForText(panel, status, (t) => t === 'stopped', 10_000);
          const stopped = (await changes(panel)).find(([, text]) => text === 'stopped')![0];
          const done = (await messages(panel)).find(([, m]) => m.includes('done'));
          // Steps past the click: from the step the panel showed at the click to the step the run stopped at.
          const shown = await changes(panel, 'steps');
          const shownAtClick = shown.filter(([t]) => t <= clicked).at(-1);
          const stepAtClick = shownAtClick ? stepOf(shownAtClick[1]) : stepBefore;
          const stepAtEnd = stepOf(await panel.locator(train).innerText());
          m.ms.push(stopped - clicked);
          if (done) m.doneMs.push(done[0] - clicked);
          m.steps.push(stepAtEnd - stepAtClick);
          // The engine's own steps past the click, at most: its rate times click → "stopped" (the panel shows a step late).
          const rate = stepsPerMs(shown.filter(([t]) => t <= clicked));
          if (Number.isFinite(rate)) m.engineSteps.push(Math.round(rate * (stopped - clicked)));
          // Messages arriving steadily until "done": the engine kept going; a gap then a burst: the webview was busy.
          if (stopped - clicked > 100)
            console.log(
              `slow stop from ${place}: ${Math.round(stopped - clicked)} ms, ${stepAtEnd - stepAtClick} steps; messages after the click (ms):`,
              (await messages(panel)).map(([t, msg]) => `${Math.round(t - clicked)} ${msg.slice(0, 40)}`).join(' | '),
            );
        }
      }
      await screenshot(page, 'editor-01-stopped');
    } finally {
      // The Ping webview closed (its group with it) and the side bar back: the tests after this one have the layout they expect.
      await runCommand(page, 'CE Lab Latency Floor: Close Ping Panel');
      await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    }
    for (const [place, m] of Object.entries(measured)) {
      const key = `stop from ${place}`;
      const stop = (latency[`${key} → "stopped"`] = figure(m.ms, 100));
      latency[`${key} → its "done" message in the webview`] = figure(m.doneMs, 100);
      const floor = (latency[`${key}: the floor, an echo extension's Ping from there`] = figure(m.floorMs, stop.p95));
      latency[`${key}: steps past the click the panel showed`] = figure(m.steps, 1000);
      latency[`${key}: steps past the click, engine (at most)`] = figure(m.engineSteps, 1000);
      console.log(`Stop from ${place} → "stopped"`, stop, m.ms.map(Math.round).join(' '));
      console.log(`  → the run's "done" message in the webview`, latency[`${key} → its "done" message in the webview`]);
      console.log(`  the floor (Ping from there → its webview)`, floor, m.floorMs.map(Math.round).join(' '));
      console.log(`  CE Lab adds ${(stop.p50 - floor.p50).toFixed(1)} ms at p50, ${(stop.p95 - floor.p95).toFixed(1)} ms at p95 to the floor`);
      console.log(`  steps past the click the panel showed`, latency[`${key}: steps past the click the panel showed`], m.steps.join(' '));
      console.log(`  steps past the click, engine (rate × click → "stopped")`, latency[`${key}: steps past the click, engine (at most)`]);
    }
    for (const [place, m] of Object.entries(measured)) {
      const key = `stop from ${place}`;
      expectWithinBudget(latency[`${key} → "stopped"`]);
      expectWithinBudget(latency[`${key}: steps past the click, engine (at most)`]);
      expect(latency[`${key} → "stopped"`].p50, `${place}: ${JSON.stringify(m.ms)}`).toBeLessThanOrEqual(STOP_MEDIAN_CEILING_MS);
    }
  }, 900_000);

  it("a missing comma: VS Code's own error, no CE Lab squiggle; the panel says where", async () => {
    await openScenario('sorix.ce.json');
    await runCommand(page, 'CE Lab: Open Visualizer to the Side');
    panel = await panelFrame(page);
    await waitForText(panel, lossOf, (t) => numbers(t).includes('0.2159'));
    await openScenario('sorix.ce.json'); // its editor group active again
    // Line 4 `  "dtype": "float32",`: the comma is column 21. Without it, line 5 col 3 (`"cells"`) is where parsing fails.
    await goTo(page, 4, 21);
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Delete');
    const banner = await waitForText(panel, '[data-testid="parse-error"]', (t) => /line 5, column 3/.test(t), 15_000);
    expect(banner).toMatch(/does not parse/);
    // The results stay (from the last version that parsed).
    expect(numbers(await panel.locator(lossOf).innerText())).toContain('0.2159');
    await runCommand(page, 'View: Toggle Problems');
    const markers = page.locator('.markers-panel');
    await markers.locator('.monaco-list-row', { hasText: /comma/i }).first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1000); // a CE Lab diagnostic would have arrived by now
    // sorix's own markers: the lines after its name, up to the next file's.
    const lines = (await markers.innerText()).split('\n');
    const start = lines.indexOf('sorix.ce.json');
    const end = lines.findIndex((l, i) => i > start && /\.ce\.json$/.test(l));
    const sorixMarkers = lines.slice(start, end < 0 ? undefined : end).join('\n');
    expect(sorixMarkers).toMatch(/Expected comma/);
    expect(sorixMarkers).not.toMatch(/CE Lab/);
    await screenshot(page, 'editor-02-missing-comma');
    await runCommand(page, 'View: Toggle Problems');
    await openScenario('sorix.ce.json');
    await activeEditor().click();
    await page.keyboard.press('Control+Z');
    await panel.locator('[data-testid="parse-error"]').waitFor({ state: 'hidden', timeout: 15_000 });
  });

  it('hover on label_smoothing and logits shows their own descriptions', async () => {
    await openScenario('help.ce.json');
    const hover = page.locator('.monaco-hover:not(.hidden)').first();
    /** Hovers `name` until its hover says `text`: a hover asked before the JSON language service has the schema stays empty. */
    const hoverUntil = async (name: string, text: RegExp) => {
      await expect
        .poll(
          async () => {
            await page.mouse.move(5, 5);
            await page.keyboard.press('Escape');
            await token(name).hover();
            return hover.waitFor({ timeout: 3_000 }).then(
              async () => (await hover.innerText().catch(() => '')) ?? '',
              () => '',
            );
          },
          { timeout: 45_000, interval: 500 },
        )
        .toMatch(text);
    };
    await hoverUntil('"label_smoothing"', /Label smoothing ε in \[0, 1\]/);
    expect(await hover.innerText()).toMatch(/Example: "label_smoothing": 0\.1/);
    await screenshot(page, 'editor-03-hover-label-smoothing');
    await hoverUntil('"logits"', /Raw, unnormalised scores/);
    await screenshot(page, 'editor-04-hover-logits');
    await page.mouse.move(5, 5);
  });

  it('a loss cell snippet inside "cells": [] inserts a cell that runs', async () => {
    await openScenario('blank.ce.json');
    await goTo(page, 4, 5);
    const row = page.locator('.suggest-widget .monaco-list-row', { hasText: /^loss cell/ }).first();
    // The JSON language server may still be starting: ask again until the suggestions come.
    for (let attempt = 0; attempt < 5 && !(await row.isVisible()); attempt++) {
      await page.keyboard.press('Control+Space');
      await row.waitFor({ timeout: 5_000 }).catch(() => page.keyboard.press('Escape'));
    }
    await screenshot(page, 'editor-05-snippets');
    await row.click();
    await activeEditor().filter({ hasText: '"type": "loss"' }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');
    await runCommand(page, 'CE Lab: Open Visualizer to the Side');
    panel = await panelFrame(page);
    // The snippet's logits and targets are the sorix example's.
    await waitForText(panel, '[data-testid="loss-loss"]', (t) => numbers(t).includes('0.2159'));
  });

  it('a misspelt key is flagged on the key, with the field it probably means', async () => {
    await openScenario('typo.ce.json');
    await runCommand(page, 'CE Lab: Run Scenario');
    const squiggle = page.locator('.editor-group-container.active .squiggly-warning').first();
    await squiggle.waitFor({ timeout: 30_000 });
    await runCommand(page, 'View: Toggle Problems');
    const markers = page.locator('.markers-panel');
    await markers.locator('.monaco-list-row', { hasText: 'did you mean "label_smoothing"?' }).first().waitFor({ timeout: 15_000 });
    await screenshot(page, 'editor-06-misspelt-key');
    await runCommand(page, 'View: Toggle Problems');
    // Every warning squiggle lies on the key, none on its value (read once the editor, resized as the Problems
    // panel closed, has drawn them again).
    const key = await token('"label_smothing"').boundingBox();
    const value = await token('0.25').boundingBox();
    expect(key && value).toBeTruthy();
    const squigglesOnLine = async () =>
      (
        await page
          .locator('.editor-group-container.active .squiggly-warning')
          .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect))
      ).filter((s) => s.y + s.height > key!.y && s.y < key!.y + key!.height);
    await expect.poll(async () => (await squigglesOnLine()).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const onLine = await squigglesOnLine();
    for (const s of onLine) {
      expect(s.x).toBeGreaterThanOrEqual(key!.x - 2);
      expect(s.x + s.width).toBeLessThanOrEqual(key!.x + key!.width + 2);
    }
  });

  it("latency floor: keystroke in the editor → an echo extension's webview (VS Code's own floor)", async () => {
    // Last of the suite: the echo's tab covers the CE Lab panel from here on.
    // The same keystrokes into the same line, carried by an extension that does nothing but echo the line into its
    // webview (test/e2e/echoExtension): onDidChangeTextDocument, postMessage, a DOM update. What CE Lab adds is its p50 less this one.
    await openScenario('sorix.ce.json');
    await runCommand(page, 'CE Lab Latency Floor: Open Echo Panel');
    const echo = await echoFrame();
    await openScenario('sorix.ce.json'); // the keyboard back in the scenario's editor (the echo opened beside it, focused)
    const ms: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const digit = String([3, 4, 1, 2][i % 4]);
      await goTo(page, 15, 19);
      await page.keyboard.press('Shift+ArrowRight');
      await page.waitForTimeout(150); // the selection settles, as for CE Lab's figure
      await watchText(echo, '#echo');
      await watchEvents(page);
      await page.keyboard.press(digit);
      await waitForText(echo, '#echo', (t) => t.includes(`[[${digit}.0`), 10_000);
      const typed = (await inputs(page)).find(([, key]) => key === digit);
      const shown = (await changes(echo)).find(([, text]) => text.includes(`[[${digit}.0`));
      expect(typed && shown, `keydown ${digit} and its echo both seen`).toBeTruthy();
      ms.push(shown![0] - typed![0]);
    }
    latency.keystrokeToEchoFloor = figure(ms, latency.keystrokeToPanel.p50);
    const added = latency.keystrokeToPanel.p50 - latency.keystrokeToEchoFloor.p50;
    console.log('keystroke → echo webview (floor)', latency.keystrokeToEchoFloor, ms.map(Math.round).join(' '));
    console.log(`CE Lab adds ${added.toFixed(1)} ms at p50 to the floor (goal: at most 20 ms)`);
    if (STRICT) expect(added, 'CE Lab p50 − floor p50, ms').toBeLessThanOrEqual(20);
  });

  it("latency floor: a 2 s drag of the echo webview's slider → its value echoed back by the extension (VS Code's own floor)", async () => {
    // The drag's round trip with nothing computed: input → postMessage → the extension posts it back → a DOM update.
    const echo = await echoFrame();
    const drag = await dragSlider(page, echo, '#slider', 0.2, 0.8, '#slid', null);
    const ms = slideLatencies(drag, (value, text) => text === value);
    expect(ms.length, `${drag.slides.length} inputs, ${drag.shownChanges.length} values shown`).toBeGreaterThanOrEqual(5);
    latency.dragToEchoFloor = figure(ms, latency.dragToPanel.p95);
    const added = latency.dragToPanel.p95 - latency.dragToEchoFloor.p95;
    console.log('drag → echoed value (floor)', latency.dragToEchoFloor);
    console.log(`CE Lab adds ${added.toFixed(1)} ms at p95 to the drag floor (goal: at most 50 ms)`);
    if (STRICT) expect(added, 'CE Lab drag p95 − floor p95, ms').toBeLessThanOrEqual(50);
  });

  it('latency floor: "Open echo" CodeLens → the echo webview shows the first numbers (VS Code\'s own floor)', async () => {
    // The same gesture as CE Lab's "Open visualizer" figure: a lens click, a new webview beside the editor that says
    // it is ready and is sent the document's first numbers. What CE Lab adds is its p50 less this one.
    // The echo extension's lens shows once it is active (its palette command, which the keystroke floor ran too).
    await openScenario('sorix.ce.json');
    await runCommand(page, 'CE Lab Latency Floor: Open Echo Panel');
    const lens = page.locator('.editor-group-container.active .codelens-decoration a:visible', { hasText: 'Open echo' }).first();
    const tab = page.locator('.tab', { hasText: 'Echo' }).first();
    const { ms } = await timeOpens(lens, tab, '#echo', (t) => /\d/.test(t));
    latency.openEchoFloor = figure(ms, latency.openVisualizer.p50);
    const added = latency.openVisualizer.p50 - latency.openEchoFloor.p50;
    console.log('Open echo → first numbers (floor)', latency.openEchoFloor, ms.map(Math.round).join(' '));
    console.log(`CE Lab adds ${added.toFixed(1)} ms at p50 to the Open floor (goal: at most 150 ms)`);
    if (STRICT) expect(added, 'CE Lab open p50 − floor p50, ms').toBeLessThanOrEqual(150);
  });
});
