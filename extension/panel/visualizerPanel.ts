// The one visualizer panel. Like the Markdown preview it follows the active
// scenario editor; it is rebuilt from a `hydrate` whenever it (re)appears, as
// the webview keeps no context while hidden.
import * as vscode from 'vscode';
import type { PanelEvent } from '../../core/events';
import { Channel, type Wire } from '../../core/channel';
import type { JsonSyntaxError, PanelApi, PanelHostApi } from '../../core/protocol';
import { emptyRunState } from '../../core/runState';
import { settings } from '../config';
import { isScenario, sourceOf } from '../documents';
import { longTrainingMessage } from '../problems';
import type { Notice, ScenarioRunner } from '../runner';
import { panelHtml } from './html';
import { panelHandlers } from './messages';
import { PanelOutbox } from './panelOutbox';
import { untilFocused } from './refocus';

export const VIEW_TYPE = 'ceLab.visualizer';
/** ~30 messages a second at most. */
const PANEL_INTERVAL_MS = 33;
const LAST_URI_KEY = 'ceLab.panelDocument';
/** A syntax error that lasts this long is shown; the half-typed text between two keystrokes is not. */
const SYNTAX_GRACE_MS = 400;

export class VisualizerPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | null = null;
  private documentUri: string | null = null;
  private readonly disposables: vscode.Disposable[] = [];
  /** The channel to the panel's webview, while there is one. */
  private channel: Channel<PanelHostApi, PanelApi> | null = null;
  private readonly outbox = new PanelOutbox(PANEL_INTERVAL_MS, (events) =>
    this.channel && this.documentUri ? this.channel.request('draw', { documentUri: this.documentUri, events }) : Promise.resolve(null),
  );
  private syntaxTimer: ReturnType<typeof setTimeout> | undefined;
  /** Train cells of the current run already warned about as long. */
  private readonly warnedLong = new Set<string>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly runner: ScenarioRunner,
  ) {
    const offUpdate = runner.onUpdate(({ uri, events }) => {
      if (uri !== this.documentUri || !this.panel?.visible) return;
      // The end of a run goes out at once: the last numbers never wait for the next interval.
      this.outbox.push(
        events,
        events.some((e) => e.kind === 'done'),
      );
      this.warnAboutLongTraining(uri, events);
    });
    const offNotice = runner.onNotice((n) => this.notice(n));
    const offSyntax = runner.onSyntax((uri, error) => {
      if (uri === this.documentUri) this.syntax(error);
    });
    this.disposables.push(
      { dispose: offUpdate },
      { dispose: offNotice },
      { dispose: offSyntax },
      { dispose: () => clearTimeout(this.syntaxTimer) },
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (this.panel && editor && isScenario(editor.document)) this.bind(editor.document);
      }),
    );
  }

  get uri(): string | null {
    return this.documentUri;
  }

  /** Opens the panel beside the editor (or reveals it) on `document`; optionally selects a cell. */
  show(document: vscode.TextDocument, cellId?: string): void {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(
        VIEW_TYPE,
        'CE Lab',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        this.webviewOptions(),
      );
      this.attach(panel);
    } else {
      this.panel.reveal(undefined, true);
    }
    this.bind(document);
    if (cellId) this.channel?.notify('selectCell', { cellId });
  }

  /** After a window reload: the serializer hands back the panel and its saved webview state. */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    panel.webview.options = this.webviewOptions();
    this.attach(panel);
    const saved = (state as { documentUri?: unknown } | undefined)?.documentUri;
    const uri = typeof saved === 'string' ? saved : this.context.workspaceState.get<string>(LAST_URI_KEY);
    const active = vscode.window.activeTextEditor?.document;
    try {
      if (uri) return this.bind(await vscode.workspace.openTextDocument(vscode.Uri.parse(uri)));
    } catch {
      // The file is gone: fall back to the active scenario, if any.
    }
    if (active && isScenario(active)) this.bind(active);
    else this.hydrate();
  }

  notice(n: Notice): void {
    if (this.channel && (n.uri === null || n.uri === this.documentUri)) this.channel.notify('notice', { level: n.level, message: n.message });
    else if (n.level === 'error') void vscode.window.showErrorMessage(`CE Lab: ${n.message}`);
  }

  private warnAboutLongTraining(uri: string, events: PanelEvent[]): void {
    const limit = settings().trainingWarnSteps;
    for (const e of events) {
      if (e.kind === 'scenario') this.warnedLong.clear();
      if (e.kind !== 'train-progress' || !(limit > 0) || e.steps <= limit || this.warnedLong.has(e.id)) continue;
      this.warnedLong.add(e.id);
      this.notice({ uri, level: 'warning', message: longTrainingMessage(e.id, e.steps, limit) });
    }
  }

  /** A parse error reaches the panel once it has lasted SYNTAX_GRACE_MS; its end at once. */
  private syntax(error: JsonSyntaxError | null): void {
    clearTimeout(this.syntaxTimer);
    const uri = this.documentUri;
    if (!uri) return;
    if (error === null) this.channel?.notify('syntax', { documentUri: uri, error: null });
    else
      this.syntaxTimer = setTimeout(() => this.channel?.notify('syntax', { documentUri: uri, error: this.runner.syntaxError(uri) }), SYNTAX_GRACE_MS);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private bind(document: vscode.TextDocument): void {
    const uri = document.uri.toString();
    if (!this.panel) return;
    this.panel.title = `CE Lab: ${baseName(document.uri.path)}`;
    if (uri !== this.documentUri) {
      this.documentUri = uri;
      void this.context.workspaceState.update(LAST_URI_KEY, uri);
      this.hydrate();
    }
    if (!this.runner.state(uri)) void this.runner.run(sourceOf(document));
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'icon.png');
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      script: panel.webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview.js')).toString(),
      style: panel.webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', 'panel.css')).toString(),
    });
    const channel: Channel<PanelHostApi, PanelApi> = new Channel<PanelHostApi, PanelApi>(
      (wire) => void panel.webview.postMessage(wire),
      panelHandlers(this.runner, {
        documentUri: () => this.documentUri,
        ready: () => this.hydrate(),
        focusPanel: () =>
          untilFocused(
            () => panel.reveal(undefined, false),
            () => channel.request('focus', {}),
          ),
        drawn: () => this.outbox.drained(),
        failed: (message) => this.notice({ uri: this.documentUri, level: 'error', message }),
      }),
    );
    this.channel = channel;
    let wasVisible = panel.visible;
    const subscriptions = [
      panel.webview.onDidReceiveMessage((wire: Wire) => channel.receive(wire)),
      // Only on coming back into view: a click in the panel changes its view state (focus) too, and the whole
      // state sent then would hold up the messages behind it (Stop's answer among them).
      panel.onDidChangeViewState(() => {
        if (panel.visible && !wasVisible) this.hydrate();
        wasVisible = panel.visible;
      }),
    ];
    panel.onDidDispose(() => {
      for (const s of subscriptions) s.dispose();
      channel.close('the panel was closed');
      if (this.panel === panel) {
        this.channel = null;
        this.panel = null;
        this.documentUri = null;
        this.outbox.clear();
      }
    });
  }

  /** The whole state; anything still in the outbox is already part of it. */
  private hydrate(): void {
    this.outbox.clear();
    const uri = this.documentUri;
    this.channel?.notify('hydrate', {
      documentUri: uri,
      fileName: uri ? baseName(vscode.Uri.parse(uri).path) : null,
      state: (uri && this.runner.state(uri)) || emptyRunState(),
      settings: { liveUpdate: settings().liveUpdate },
      syntaxError: uri ? this.runner.syntaxError(uri) : null,
    });
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    const root = this.context.extensionUri;
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(root, 'dist'), vscode.Uri.joinPath(root, 'media')] };
  }
}

const baseName = (uriPath: string): string => uriPath.slice(uriPath.lastIndexOf('/') + 1);
