// The latency floor of npm run bench:latency: on every change of a text document
// it posts the changed line to a webview, which puts it in the DOM. Nothing is
// computed: what CE Lab adds to a keystroke's way to its panel is its time less this.
const vscode = require('vscode');

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('ceLabEcho.open', () => {
      const panel = vscode.window.createWebviewPanel('ceLabEcho', 'Echo', vscode.ViewColumn.Beside, { enableScripts: true });
      const nonce = String(Math.random()).slice(2);
      panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}';"></head>
<body><pre id="echo">ready</pre><script nonce="${nonce}">
const out = document.getElementById('echo');
window.addEventListener('message', (e) => { out.textContent = e.data.line; });
</script></body></html>`;
      const change = vscode.workspace.onDidChangeTextDocument((e) => {
        const at = e.contentChanges[0]?.range.start.line;
        if (at !== undefined) void panel.webview.postMessage({ line: e.document.lineAt(at).text });
      });
      panel.onDidDispose(() => change.dispose());
    }),
  );
}

module.exports = { activate };
