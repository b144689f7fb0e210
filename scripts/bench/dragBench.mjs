// A 2 s drag of a logit bar and of the temperature slider of the sorix
// scenario, in the CE Lab panel and in a Chart.js peer that does nothing but
// draw (test/webview/bench/dragPeer.ts), both answered by the real engine
// through the host's flow control (test/webview/bench/dragHost.ts). Per frame
// it reports the script time of the page's pointer and input handlers and of
// all its script (handlers, messages, animation-frame callbacks), how many
// times a second the loss on screen changed, and how many frames began between
// an answer of the engine reaching the page and its loss on screen.
// Functions passed to the page run in the browser:
/* global window, document, MutationObserver */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../test/webview/pageHost.mjs';
import { importBundled } from '../record-events.mjs';

const DRAG_MS = 2000;
/** Two sweeps of the control each way in the 2 s: the pointer moves several pixels every frame. */
const SWEEPS = 4;
const DOCUMENT_URI = 'file:///sorix.ce.json';

/**
 * Runs in the page before anything else: times every event listener and
 * animation-frame callback the page adds, and records per frame (at the start
 * of each one) the time spent since the frame before and whether the loss text changed.
 */
function instrument() {
  const nextFrame = window.requestAnimationFrame.bind(window);
  const INPUT = new Set(['pointerdown', 'pointermove', 'pointerup', 'lostpointercapture', 'input', 'change']);
  const bench = { input: 0, all: 0, frames: [], recording: false, lossSelector: '', lossChanges: 0, lastLoss: null };
  // Frames begun so far; the frame count when the oldest answer not yet on screen arrived; per answer on screen, the frames it waited.
  Object.assign(bench, { frame: 0, answeredAt: null, answerFrames: [] });
  window.bench = bench;
  new MutationObserver(() => {
    if (bench.answeredAt === null) return;
    const loss = document.querySelector(bench.lossSelector)?.textContent ?? null;
    if (loss === bench.shownLoss) return;
    bench.shownLoss = loss;
    bench.answerFrames.push(bench.frame - bench.answeredAt);
    bench.answeredAt = null;
  }).observe(document, { subtree: true, childList: true, characterData: true });
  const timed = (input, fn) =>
    function (...args) {
      const start = performance.now();
      try {
        return fn.apply(this, args);
      } finally {
        const spent = performance.now() - start;
        bench.all += spent;
        if (input) bench.input += spent;
      }
    };
  const wrappers = new WeakMap();
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (typeof listener !== 'function') return add.call(this, type, listener, options);
    if (!wrappers.has(listener)) wrappers.set(listener, timed(INPUT.has(type), listener));
    return add.call(this, type, wrappers.get(listener), options);
  };
  EventTarget.prototype.removeEventListener = function (type, listener, options) {
    return remove.call(this, type, wrappers.get(listener) ?? listener, options);
  };
  window.requestAnimationFrame = (callback) => nextFrame(timed(false, callback));
  const probe = () => {
    bench.frame++;
    if (bench.recording) {
      bench.frames.push({ input: bench.input, all: bench.all });
      const loss = document.querySelector(bench.lossSelector)?.textContent ?? null;
      if (loss !== bench.lastLoss) bench.lossChanges++;
      bench.lastLoss = loss;
    }
    bench.input = 0;
    bench.all = 0;
    nextFrame(probe);
  };
  nextFrame(probe);
}

/** The page's side of the host: draws a run's events as one `draw` request and resolves once the page has answered it. */
function connect(documentUri) {
  const waiting = new Map();
  let seq = 0;
  window.harness.onPost = (message) => {
    if (message.type === 'edit' && message.transient) void window.benchEdit({ path: message.path, value: message.value });
    if (message.type === 'drawn') waiting.get(message.seq)?.();
  };
  window.benchDraw = (events) =>
    new Promise((resolve) => {
      waiting.set(++seq, resolve);
      const bench = window.bench;
      if (bench.recording && bench.answeredAt === null && events.some((e) => e.kind === 'cell-result')) bench.answeredAt = bench.frame;
      window.harness.send({ type: 'events', seq, documentUri, events });
    });
  window.harness.send({
    type: 'hydrate',
    documentUri,
    fileName: 'sorix.ce.json',
    state: { title: '', dtype: 'float32', fileError: null, cells: [], finished: false, cancelled: false },
    settings: { liveUpdate: true },
  });
}

const quantile = (xs, q) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

/**
 * Drags from `from` to `to` and back, SWEEPS times in all, over DRAG_MS, a move
 * every 16 ms as a hand's pointer gives them: a move is not held back until the
 * page has taken the one before. Returns what the page recorded.
 */
async function drag(page, from, to) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.evaluate(() =>
    Object.assign(
      window.bench,
      { recording: true, frames: [], lossChanges: 0, startedAt: performance.now(), answeredAt: null, answerFrames: [] },
      { shownLoss: document.querySelector(window.bench.lossSelector)?.textContent ?? null },
    ),
  );
  const t0 = Date.now();
  const sent = [];
  for (let elapsed = 0; elapsed < DRAG_MS; elapsed = Date.now() - t0) {
    const phase = (elapsed / DRAG_MS) * SWEEPS;
    const f = Math.floor(phase) % 2 === 0 ? phase % 1 : 1 - (phase % 1);
    sent.push(page.mouse.move(from.x + (to.x - from.x) * f, from.y + (to.y - from.y) * f));
    const wait = t0 + sent.length * 16 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  await Promise.all(sent);
  const moves = sent.length;
  const recorded = await page.evaluate(() => {
    const bench = window.bench;
    bench.recording = false;
    return {
      frames: bench.frames,
      lossChanges: bench.lossChanges,
      answerFrames: bench.answerFrames,
      seconds: (performance.now() - bench.startedAt) / 1000,
    };
  });
  await page.mouse.up();
  return { ...recorded, moves };
}

/** One side of the comparison: a page, its loss text and its two controls. */
async function measureSide(browser, url, side, engine, text) {
  const page = await browser.newPage({ viewport: { width: 600, height: 900 } });
  await page.addInitScript(instrument);
  let host = null;
  await page.exposeFunction('benchEdit', (edit) => host.edit(edit));
  await page.goto(`${url}${side.page}?theme=dark`);
  await page.evaluate(() => window.harness.ready);
  await page.evaluate(connect, DOCUMENT_URI);
  host = engine.dragHost(text, (events) => page.evaluate((evs) => window.benchDraw(evs), events));
  await host.start();
  await page.evaluate((selector) => (window.bench.lossSelector = selector), side.loss);
  const results = {};
  for (const [name, selector, vertical] of [
    ['logit bar', side.bar, true],
    ['temperature slider', side.slider, false],
  ]) {
    const box = await page.locator(selector).boundingBox();
    const at = (f) => (vertical ? { x: box.x + box.width / 2, y: box.y + box.height * f } : { x: box.x + box.width * f, y: box.y + box.height / 2 });
    const runsBefore = host.runs;
    const recorded = await drag(page, at(0.05), at(0.95));
    results[name] = { ...recorded, runs: host.runs - runsBefore };
  }
  await page.close();
  return results;
}

function summary(r) {
  const [input, all] = [r.frames.map((f) => f.input), r.frames.map((f) => f.all)];
  return {
    inputP50: quantile(input, 0.5),
    inputP95: quantile(input, 0.95),
    allP50: quantile(all, 0.5),
    allP95: quantile(all, 0.95),
    updatesPerSecond: r.lossChanges / r.seconds,
    framesPerSecond: r.frames.length / r.seconds,
    answerFramesP50: quantile(r.answerFrames, 0.5),
    answerFramesP95: quantile(r.answerFrames, 0.95),
    answerFramesMax: Math.max(...r.answerFrames),
    runs: r.runs,
    moves: r.moves,
  };
}

export async function benchDrags(browser, url, peerPage) {
  const engine = await importBundled(
    { entryPoints: [join(repoRoot, 'test/webview/bench/dragHost.ts')] },
    join(repoRoot, 'test-artifacts/bench/dragHost.mjs'),
  );
  const text = readFileSync(join(repoRoot, 'examples/sorix.ce.json'), 'utf8');
  const panelSide = {
    page: '/test/webview/harness.html',
    loss: '[data-testid="loss-two-samples"]',
    bar: '[data-testid="logit-two-samples-0-1"]',
    slider: '[data-testid="knob-temperature-two-samples"]',
  };
  const peerSide = { page: peerPage, loss: '#loss', bar: '#bars', slider: '#temperature' };
  // Warm the browser and the engine once so neither side pays for the first start.
  await measureSide(browser, url, peerSide, engine, text);
  const panel = await measureSide(browser, url, panelSide, engine, text);
  const peer = await measureSide(browser, url, peerSide, engine, text);
  console.log(
    `A ${DRAG_MS / 1000} s drag on the sorix scenario (${SWEEPS} sweeps, a move every 16 ms), answered by the engine one run at a time (headless Chromium, software rendering).`,
  );
  console.log(
    'Script time per frame: pointer/input handlers, and all of the page (handlers, messages, frame callbacks); loss updates on screen a second;',
  );
  console.log(
    "answer → screen: frames begun between an engine answer's arrival and its loss in the DOM (0: drawn in the message handler, 1: in the next frame).",
  );
  const ms = (x) => `${x.toFixed(2)} ms`;
  const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}×` : a > 0 ? '∞' : '1.00×');
  for (const name of Object.keys(panel)) {
    const [p, q] = [summary(panel[name]), summary(peer[name])];
    console.log(`${name}:`);
    for (const [label, s] of [
      ['  CE Lab panel          ', p],
      ['  Chart.js peer (draw)  ', q],
    ]) {
      console.log(
        `${label} handlers p50 ${ms(s.inputP50)} p95 ${ms(s.inputP95)}  all p50 ${ms(s.allP50)} p95 ${ms(s.allP95)}  loss updates ${s.updatesPerSecond.toFixed(1)}/s  answer → screen p50 ${s.answerFramesP50} p95 ${s.answerFramesP95} max ${s.answerFramesMax} frames  frames ${s.framesPerSecond.toFixed(0)}/s  runs ${s.runs} for ${s.moves} moves`,
      );
    }
    console.log(
      `  ratio panel/peer: handlers p95 ${ratio(p.inputP95, q.inputP95)}  all p95 ${ratio(p.allP95, q.allP95)}  loss updates ${ratio(p.updatesPerSecond, q.updatesPerSecond)}`,
    );
  }
}
