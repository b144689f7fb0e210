// Stands in for VS Code around the panel bundle: a fake acquireVsCodeApi that
// records what the panel posts and keeps its state across reloads (as VS Code
// does), the theme variables, and `window.harness` for tests to act as the host.
// The panel speaks the request/reply channel (core/channel.ts); the harness
// records its notices and requests flat ({type: method, ...params}) and sends
// flat host messages as the channel's wires (see `send`).
const themes = window.harnessThemes;

const STATE_KEY = 'ce-lab-harness-state';
const posted = [];
/** performance.now() of each posted message, for rate checks. */
const postedAt = [];
let onReady = () => {};

/** A panel message as tests read it: a notice or request flat, a reply to `draw` as `drawn` with its id as `seq`. */
const flat = (wire) =>
  wire.kind === 'reply'
    ? { type: 'drawn', seq: wire.id }
    : { type: wire.method, ...wire.params, ...(wire.kind === 'request' ? { requestId: wire.id } : {}) };

window.acquireVsCodeApi = () => ({
  postMessage(wire) {
    const message = flat(structuredClone(wire));
    posted.push(message);
    postedAt.push(performance.now());
    window.harness.onPost?.(structuredClone(message));
    if (message.type === 'ready') onReady();
  },
  getState: () => JSON.parse(sessionStorage.getItem(STATE_KEY) ?? 'null') ?? undefined,
  setState: (state) => sessionStorage.setItem(STATE_KEY, JSON.stringify(state)),
});

function setTheme(name) {
  const theme = themes[name];
  if (!theme) throw new Error(`unknown theme ${name}`);
  const root = document.documentElement.style;
  for (const all of Object.values(themes)) for (const key of Object.keys(all.vars)) root.removeProperty(key);
  for (const [key, value] of Object.entries(theme.vars)) root.setProperty(key, value);
  document.body.className = theme.bodyClass;
}

/** Recorded fixtures write non-finite numbers as strings (JSON has none); the host sends real numbers. */
const NON_FINITE = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
function revive(events) {
  return JSON.parse(JSON.stringify(events), (_k, v) => (typeof v === 'string' && v in NON_FINITE ? NON_FINITE[v] : v));
}

const emptyState = { title: '', dtype: 'float32', fileError: null, cells: [], finished: false, cancelled: false };
let batches = 0;
/**
 * Sends a flat host message as the host's channel does: `events` as a `draw` request (numbered, or `seq`:
 * the panel replies to it once drawn), `rowDetail` as the reply to the panel's latest rowDetail request,
 * `{type: 'reply', method, result}` as the reply to its latest request of `method`, anything else as a notice.
 */
const send = ({ type, ...params }) => {
  let wire;
  if (type === 'events') {
    const { seq, documentUri, events } = params;
    wire = { kind: 'request', id: seq ?? ++batches, method: 'draw', params: { documentUri, events } };
  } else if (type === 'reply') {
    // The answer to the panel's latest request of `method`.
    const asked = posted.findLast((m) => m.type === params.method);
    wire = { kind: 'reply', id: asked.requestId, result: params.result };
  } else if (type === 'rowDetail') {
    const asked = posted.findLast((m) => m.type === 'rowDetail');
    wire =
      'error' in params ? { kind: 'reply', id: asked.requestId, error: params.error } : { kind: 'reply', id: asked.requestId, result: params.detail };
  } else wire = { kind: 'notice', method: type, params };
  window.postMessage(wire, '*');
};

window.harness = {
  posted,
  postedAt,
  setTheme,
  send,
  ready: new Promise((resolve) => (onReady = resolve)),
  /** What the panel last gave setState (VS Code hands it to the host's serializer after a reload). */
  savedState: () => JSON.parse(sessionStorage.getItem(STATE_KEY) ?? 'null'),
  /** Called with each message the panel posts (after it is recorded). */
  onPost: null,
  /** Re-runs the host has sent back (see answerEdits). */
  reruns: 0,
  /**
   * Acts as the host and engine for edits: after `delayMs`, each edit comes back
   * as a whole new run of `events` (one loss cell's view patched with the edited
   * value), the way the real host re-evaluates a drag's every transient edit.
   */
  answerEdits(events, delayMs = 40) {
    const all = revive(events);
    window.harness.onPost = (message) => {
      if (message.type !== 'edit') return;
      const [, cellIndex, field, ...rest] = message.path;
      const run = structuredClone(all);
      const result = run.find((e) => e.kind === 'cell-result' && e.index === cellIndex)?.result;
      if (!result) return;
      if (field === 'logits') result.view.rows.logits[rest.length > 1 ? rest[0] : 0][rest.at(-1)] = message.value;
      if (field === 'label_smoothing') result.view.labelSmoothing = message.value;
      if (field === 'temperature') result.view.temperature = message.value;
      // Two messages, as the host's coalescer sends a run: its start (every cell pending), then its results.
      const split = run.findIndex((e) => e.kind === 'cell-result');
      setTimeout(() => send({ type: 'events', documentUri: 'file:///test.ce.json', events: run.slice(0, split) }), delayMs);
      setTimeout(() => {
        window.harness.reruns++;
        send({ type: 'events', documentUri: 'file:///test.ce.json', events: run.slice(split) });
      }, 2 * delayMs);
    };
  },
  /** What the host does for a fresh run: hydrate empty, then stream the events. */
  replay(events, { chunk = Infinity } = {}) {
    const all = revive(events);
    send({ type: 'hydrate', documentUri: 'file:///test.ce.json', fileName: 'test.ce.json', state: emptyState, settings: { liveUpdate: true } });
    for (let i = 0; i < all.length; i += chunk) send({ type: 'events', documentUri: 'file:///test.ce.json', events: all.slice(i, i + chunk) });
  },
};

setTheme(new URLSearchParams(location.search).get('theme') ?? 'dark');
