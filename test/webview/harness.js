// Stands in for VS Code around the panel bundle: a fake acquireVsCodeApi that
// records what the panel posts and keeps its state across reloads (as VS Code
// does), the theme variables, and `window.harness` for tests to act as the host.
const themes = window.harnessThemes;

const STATE_KEY = 'ce-lab-harness-state';
const posted = [];
/** performance.now() of each posted message, for rate checks. */
const postedAt = [];
let onReady = () => {};

window.acquireVsCodeApi = () => ({
  postMessage(message) {
    posted.push(structuredClone(message));
    postedAt.push(performance.now());
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
const send = (message) => window.postMessage(message, '*');

window.harness = {
  posted,
  postedAt,
  setTheme,
  send,
  ready: new Promise((resolve) => (onReady = resolve)),
  /** What the panel last gave setState (VS Code hands it to the host's serializer after a reload). */
  savedState: () => JSON.parse(sessionStorage.getItem(STATE_KEY) ?? 'null'),
  /** What the host does for a fresh run: hydrate empty, then stream the events. */
  replay(events, { chunk = Infinity } = {}) {
    const all = revive(events);
    send({ type: 'hydrate', documentUri: 'file:///test.ce.json', fileName: 'test.ce.json', state: emptyState, settings: { liveUpdate: true } });
    for (let i = 0; i < all.length; i += chunk) send({ type: 'events', documentUri: 'file:///test.ce.json', events: all.slice(i, i + chunk) });
  },
};

setTheme(new URLSearchParams(location.search).get('theme') ?? 'dark');
