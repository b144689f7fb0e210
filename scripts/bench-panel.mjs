// The panel against peers in the same browser and run. `npm run bench:panel`.
// 1. Frame times while a 10,000-step training run streams in, next to a naive
//    peer (every point re-plotted and animated on every message).
// 2. A 2 s drag of a logit bar and of the temperature slider on the sorix
//    scenario, answered by the real engine through the host's flow control
//    (scripts/bench/dragBench.mjs), next to a Chart.js panel that does nothing but draw.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, repoRoot, startServer } from '../test/webview/pageHost.mjs';
import { benchDrags } from './bench/dragBench.mjs';
import { recordEvents } from './record-events.mjs';

/** The host coalesces engine events into at most ~30 messages a second. */
const MESSAGE_INTERVAL_MS = 33;

execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'ignore' });
/** Bundles a peer into test-artifacts/bench and a copy of the panel's test page that loads it in place of the panel; returns the page's path. */
async function peerPage(name) {
  await esbuild.build({
    entryPoints: [join(repoRoot, `test/webview/bench/${name}.ts`)],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    outfile: join(repoRoot, `test-artifacts/bench/${name}.js`),
    logLevel: 'error',
  });
  const harness = readFileSync(join(repoRoot, 'test/webview/harness.html'), 'utf8');
  if (!harness.includes('/dist/webview.js')) throw new Error('test/webview/harness.html no longer loads /dist/webview.js');
  writeFileSync(join(repoRoot, `test-artifacts/bench/${name}.html`), harness.replace('/dist/webview.js', `/test-artifacts/bench/${name}.js`));
  return `/test-artifacts/bench/${name}.html`;
}
const naivePage = await peerPage('naivePanel');
const dragPeerPage = await peerPage('dragPeer');
const events = await recordEvents(join(repoRoot, 'test/webview/fixtures/long-train.ce.json'), MESSAGE_INTERVAL_MS);
const steps = events.filter((e) => e.kind === 'train-progress').reduce((n, e) => n + e.losses.length, 0);

const server = await startServer();
const browser = await launchChromium();

/** Replays the stream at the host's pace while sampling requestAnimationFrame deltas and long tasks. */
async function measure(path, screenshot = '') {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  await page.goto(`${server.url}${path}?theme=dark`);
  await page.evaluate(() => window.harness.ready);
  const result = await page.evaluate(
    async ({ events, interval }) => {
      const frames = [];
      const longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration))).observe({ type: 'longtask' });
      let last = performance.now();
      let running = true;
      const tick = (now) => {
        frames.push(now - last);
        last = now;
        if (running) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      // As the host's channel sends them: the hydrate as a notice, each batch as a `draw` request.
      const send = (message) => window.harness.send(message);
      const emptyState = { title: '', dtype: 'float32', fileError: null, cells: [], finished: false, cancelled: false };
      send({ type: 'hydrate', documentUri: 'file:///bench.ce.json', fileName: 'bench.ce.json', state: emptyState, settings: { liveUpdate: true } });
      const started = performance.now();
      for (const event of events) {
        send({ type: 'events', documentUri: 'file:///bench.ce.json', events: [event] });
        await new Promise((r) => setTimeout(r, interval));
      }
      await new Promise((r) => setTimeout(r, 500));
      running = false;
      return { frames: frames.slice(1), longTasks, wallMs: performance.now() - started };
    },
    { events, interval: MESSAGE_INTERVAL_MS },
  );
  // To judge by eye that 10,000 steps still draw as smooth curves on a 0..9,999 axis.
  if (screenshot)
    await page
      .locator('.cell')
      .first()
      .screenshot({ path: join(repoRoot, 'test-artifacts/bench', screenshot) });
  await page.close();
  return result;
}

const quantile = (xs, q) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
function summary(name, r) {
  return {
    name,
    frames: r.frames.length,
    p50: quantile(r.frames, 0.5),
    p95: quantile(r.frames, 0.95),
    max: Math.max(...r.frames),
    longTasks: r.longTasks.length,
    longTaskMs: r.longTasks.reduce((a, b) => a + b, 0),
  };
}

try {
  // Warm the browser once so neither side pays for the first start.
  await measure('/test/webview/harness.html');
  const panel = summary('CE Lab panel (bucketed curves, in-place, rAF-batched)', await measure('/test/webview/harness.html', 'long-train-panel.png'));
  const naive = summary('naive peer (full re-plot, animated, no decimation)', await measure(naivePage));
  console.log(
    `Replayed ${steps} training steps in ${events.length} messages, one every ${MESSAGE_INTERVAL_MS} ms (headless Chromium, software rendering).`,
  );
  for (const s of [panel, naive]) {
    console.log(
      `${s.name}\n  frames ${s.frames}  p50 ${s.p50.toFixed(1)} ms  p95 ${s.p95.toFixed(1)} ms  max ${s.max.toFixed(1)} ms  long tasks ${s.longTasks} (${s.longTaskMs.toFixed(0)} ms)`,
    );
  }
  console.log(`ratio naive/panel: p50 ${(naive.p50 / panel.p50).toFixed(2)}×  p95 ${(naive.p95 / panel.p95).toFixed(2)}×`);
  console.log('');
  await benchDrags(browser, server.url, dragPeerPage);
} finally {
  await browser.close();
  await server.close();
}
