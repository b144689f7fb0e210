// The drag benchmark's peer: a Chart.js panel that does nothing but draw. A drag
// over its bar chart or its temperature slider posts an edit on every move (no
// coalescing), and each answer from the host sets the chart's data and the loss
// text, without animation. What the CE Lab panel adds on top of drawing is the
// difference between the two.
import { Chart, registerables } from 'chart.js';
import type { Wire } from '../../../core/channel';
import type { PanelEvent } from '../../../core/events';
import { applyEvent, emptyRunState } from '../../../core/runState';

Chart.register(...registerables);
/** The sorix scenario's loss cell, and its bars' range (as the panel draws them). */
const CELL = 1;
const EXTENT = 6;

const api = (window as unknown as { acquireVsCodeApi: () => { postMessage(m: Wire): void } }).acquireVsCodeApi();
const loss = Object.assign(document.createElement('output'), { id: 'loss' });
const slider = Object.assign(document.createElement('input'), { type: 'range', min: '0', max: '1000', id: 'temperature' });
const canvas = Object.assign(document.createElement('canvas'), { id: 'bars' });
const box = document.createElement('div');
box.style.height = '240px';
box.append(canvas);
document.getElementById('app')!.append(loss, slider, box);
const chart = new Chart<'bar', number[], string>(canvas, {
  type: 'bar',
  data: { labels: [], datasets: [{ label: 'logits', data: [] }] },
  options: { maintainAspectRatio: false, animation: false, scales: { y: { min: -EXTENT, max: EXTENT } } },
});

const edit = (path: (string | number)[], value: number) =>
  api.postMessage({ kind: 'notice', method: 'edit', params: { path, value, transient: true } });
canvas.addEventListener('pointerdown', (ev) => canvas.setPointerCapture(ev.pointerId));
canvas.addEventListener('pointermove', (ev) => {
  if (!canvas.hasPointerCapture(ev.pointerId)) return;
  const rect = canvas.getBoundingClientRect();
  const fraction = Math.max(0, Math.min(1, (ev.clientY - rect.top) / rect.height));
  edit(['cells', CELL, 'logits', 0, 1], Number((EXTENT * (1 - 2 * fraction)).toFixed(2)));
});
slider.addEventListener('input', () =>
  edit(['cells', CELL, 'temperature'], Number((0.05 * Math.pow(100, Number(slider.value) / 1000)).toPrecision(3))),
);

const state = emptyRunState();
window.addEventListener('message', (event: MessageEvent<Wire>) => {
  const wire = event.data;
  if (wire.kind !== 'request' || wire.method !== 'draw') return;
  for (const e of (wire.params as { events: PanelEvent[] }).events) applyEvent(state, e);
  const result = state.cells[CELL]?.result;
  if (result?.ok && result.type === 'loss' && result.view.rows) {
    const logits = result.view.rows.logits.flat();
    chart.data.labels = logits.map((_, i) => String(i));
    chart.data.datasets[0].data = logits;
    chart.update('none');
    loss.textContent = String(result.loss);
  }
  api.postMessage({ kind: 'reply', id: wire.id, result: null });
});
api.postMessage({ kind: 'notice', method: 'ready', params: {} });
