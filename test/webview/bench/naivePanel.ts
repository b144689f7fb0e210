// The benchmark's peer: how a first attempt would draw the same stream, i.e.
// one Chart.js line chart rebuilt from every point on each message, animated,
// not decimated. Only the curves: the real panel also draws the boundary.
import { Chart, registerables } from 'chart.js';
import type { Wire } from '../../../core/channel';
import type { Hydrate } from '../../../core/protocol';
import type { PanelEvent } from '../../../core/events';
import { applyEvent, emptyRunState, type PanelRunState } from '../../../core/runState';

Chart.register(...registerables);
const canvas = document.createElement('canvas');
const box = document.createElement('div');
box.style.height = '320px';
box.append(canvas);
document.getElementById('app')!.append(box);
const chart = new Chart<'line', number[], number>(canvas, {
  type: 'line',
  data: {
    labels: [],
    datasets: [
      { label: 'loss', data: [] },
      { label: 'accuracy', data: [] },
    ],
  },
  options: { maintainAspectRatio: false },
});

let state: PanelRunState = emptyRunState();
// The host's channel messages, read as simply as possible: a hydrate notice, and draw requests (not answered).
window.addEventListener('message', (event: MessageEvent<Wire>) => {
  const wire = event.data;
  if (wire.kind === 'notice' && wire.method === 'hydrate') state = (wire.params as Hydrate).state;
  if (wire.kind !== 'request' || wire.method !== 'draw') return;
  for (const e of (wire.params as { events: PanelEvent[] }).events) applyEvent(state, e);
  const cell = state.cells[0];
  const losses = cell?.train?.losses ?? (cell?.result?.ok && cell.result.type === 'train' ? cell.result.losses : []);
  const accuracy = cell?.train?.accuracy ?? (cell?.result?.ok && cell.result.type === 'train' ? cell.result.accuracy : []);
  chart.data.labels = losses.map((_, i) => i);
  chart.data.datasets[0].data = [...losses];
  chart.data.datasets[1].data = [...accuracy];
  chart.update();
});
(window as unknown as { acquireVsCodeApi: () => { postMessage(m: unknown): void } })
  .acquireVsCodeApi()
  .postMessage({ kind: 'notice', method: 'ready', params: {} });
