// The latency floor of npm run bench:latency. On every change of a text document
// it posts the changed line to a webview, which puts it in the DOM; and a CodeLens
// on scenario files opens that webview, which says it is ready and is sent the
// document's first line with numbers (as CE Lab's panel is sent its first state).
// Nothing is computed: what CE Lab adds to a keystroke's way to its panel, or to
// "Open visualizer → first numbers", is its time less this.
const vscode = require('vscode');

/** The first line of the document with a digit in it: the echo's "first numbers". */
const firstNumbers = (document) => {
  for (let i = 0; i < document.lineCount; i++) if (/\d/.test(document.lineAt(i).text) && i > 1) return document.lineAt(i).text;
  return '';
};

function activate(context) {
  // Activated by its command (from the palette, after the suite's screenshots): its lens then shows on scenario files.
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider(
      { pattern: '**/*.ce.json' },
      { provideCodeLenses: () => [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: 'Open echo', command: 'ceLabEcho.open' })] },
    ),
  );
  context.subscriptions.push(
    vscode.commands.registerCommand('ceLabEcho.open', () => {
      const document = vscode.window.activeTextEditor?.document;
      const panel = vscode.window.createWebviewPanel(
        'ceLabEcho',
        'Echo',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true },
      );
      const nonce = String(Math.random()).slice(2);
      panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}';"></head>
<body><pre id="echo">ready</pre><script nonce="${nonce}">
const out = document.getElementById('echo');
window.addEventListener('message', (e) => { out.textContent = e.data.line; });
acquireVsCodeApi().postMessage('ready');
</script></body></html>`;
      panel.webview.onDidReceiveMessage(() => void panel.webview.postMessage({ line: document ? firstNumbers(document) : '' }));
      const change = vscode.workspace.onDidChangeTextDocument((e) => {
        const at = e.contentChanges[0]?.range.start.line;
        if (at !== undefined) void panel.webview.postMessage({ line: e.document.lineAt(at).text });
      });
      panel.onDidDispose(() => change.dispose());
    }),
  );
}

module.exports = { activate };
