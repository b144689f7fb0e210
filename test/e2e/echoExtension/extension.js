// The latency floor of npm run bench:latency. On every change of a text document
// it posts the changed line to a webview, which puts it in the DOM; and a CodeLens
// on scenario files opens that webview, which says it is ready and is sent the
// document's first line with numbers (as CE Lab's panel is sent its first state).
// Its slider posts each value it takes to the extension, which posts it back, and
// the webview puts it in the DOM: a drag's round trip. Nothing is computed: what
// CE Lab adds to a keystroke's way to its panel, to a drag's way to the loss, or
// to "Open visualizer → first numbers", is its time less this.
// Stop's floor: a Ping webview in the third column, and a Ping command given
// from the editor title, the palette or that webview's own button, which posts
// the count of pings to the webview, which puts it in the DOM.
const vscode = require('vscode');

/** The first line of the document with a digit in it: the echo's "first numbers". */
const firstNumbers = (document) => {
  for (let i = 0; i < document.lineCount; i++) if (/\d/.test(document.lineAt(i).text) && i > 1) return document.lineAt(i).text;
  return '';
};

/** A webview in `column` (the editor keeps the focus) with `body` and the inline `script`, which its nonce alone allows. */
function openWebview(viewType, title, column, body, script) {
  const panel = vscode.window.createWebviewPanel(viewType, title, { viewColumn: column, preserveFocus: true }, { enableScripts: true });
  const nonce = String(Math.random()).slice(2);
  panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}';"></head>
<body>${body}<script nonce="${nonce}">
const api = acquireVsCodeApi();
${script}
</script></body></html>`;
  return panel;
}

function activate(context) {
  // Activated by its command (from the palette, after the suite's screenshots): its lens then shows on scenario files.
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider(
      { pattern: '**/*.ce.json' },
      { provideCodeLenses: () => [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: 'Open echo', command: 'ceLabEcho.open' })] },
    ),
  );
  let pingPanel = null;
  let pings = 0;
  const ping = () => void pingPanel?.webview.postMessage({ pinged: ++pings });
  context.subscriptions.push(
    vscode.commands.registerCommand('ceLabEcho.ping', ping),
    vscode.commands.registerCommand('ceLabEcho.closePing', () => pingPanel?.dispose()),
    vscode.commands.registerCommand('ceLabEcho.openPing', () => {
      pingPanel = openWebview(
        'ceLabPing',
        'Ping',
        vscode.ViewColumn.Three,
        '<button id="ping">Ping</button><output id="pinged">0</output>',
        `const pinged = document.getElementById('pinged');
window.addEventListener('message', (e) => (pinged.textContent = e.data.pinged));
document.getElementById('ping').addEventListener('click', () => api.postMessage('ping'));`,
      );
      pingPanel.webview.onDidReceiveMessage(ping);
      // Its title button shows while the Ping webview is open.
      void vscode.commands.executeCommand('setContext', 'ceLabEcho.pinging', true);
      pingPanel.onDidDispose(() => {
        pingPanel = null;
        void vscode.commands.executeCommand('setContext', 'ceLabEcho.pinging', false);
      });
    }),
  );
  context.subscriptions.push(
    vscode.commands.registerCommand('ceLabEcho.open', () => {
      const document = vscode.window.activeTextEditor?.document;
      const panel = openWebview(
        'ceLabEcho',
        'Echo',
        vscode.ViewColumn.Beside,
        '<pre id="echo">ready</pre><input id="slider" type="range" min="0" max="1000" value="0"><output id="slid"></output>',
        `const [out, slider, slid] = ['echo', 'slider', 'slid'].map((id) => document.getElementById(id));
window.addEventListener('message', (e) => {
  if ('slid' in e.data) slid.textContent = e.data.slid;
  else out.textContent = e.data.line;
});
slider.addEventListener('input', () => api.postMessage({ slide: slider.value }));
api.postMessage('ready');`,
      );
      panel.webview.onDidReceiveMessage((message) =>
        message === 'ready'
          ? void panel.webview.postMessage({ line: document ? firstNumbers(document) : '' })
          : void panel.webview.postMessage({ slid: message.slide }),
      );
      const change = vscode.workspace.onDidChangeTextDocument((e) => {
        const at = e.contentChanges[0]?.range.start.line;
        if (at !== undefined) void panel.webview.postMessage({ line: e.document.lineAt(at).text });
      });
      panel.onDidDispose(() => change.dispose());
    }),
  );
}

module.exports = { activate };
