// One request/reply channel over any postMessage (a worker thread, a Web Worker,
// a webview), after microsoft/vscode-hexeditor's shared/protocol.ts. Each side
// answers the other's requests (a reply carries its request's id, so answers
// may come in any order) and hears its notices (no reply). Both sides are typed
// by one API each, written once in core/protocol.ts.
import { messageOf } from './errorMessage';

/** What one side answers (`requests`: method → params → result) and hears (`notices`: method → params). */
export interface Api {
  requests: Record<string, (params: never) => unknown>;
  notices: Record<string, unknown>;
}

/** Everything that crosses the wire. */
export type Wire =
  | { kind: 'request'; id: number; method: string; params: unknown }
  | { kind: 'reply'; id: number; result: unknown }
  | { kind: 'reply'; id: number; error: string }
  | { kind: 'notice'; method: string; params: unknown };

export type Params<A extends Api, M extends keyof A['requests']> = Parameters<A['requests'][M]>[0];
export type Result<A extends Api, M extends keyof A['requests']> = Awaited<ReturnType<A['requests'][M]>>;

/** How a side carries out what `Mine` promises: a function per request and per notice. */
export interface Handlers<Mine extends Api> {
  requests: { [M in keyof Mine['requests']]: (params: Params<Mine, M>) => Result<Mine, M> | Promise<Result<Mine, M>> };
  notices: { [M in keyof Mine['notices']]: (params: Mine['notices'][M]) => void };
}

/** The error a request rejects with when the other side is gone before it answered. */
export class ChannelClosedError extends Error {}

export class Channel<Mine extends Api, Theirs extends Api> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();
  private closedWith: string | null = null;

  constructor(
    private readonly post: (wire: Wire) => void,
    private readonly handlers: Handlers<Mine>,
  ) {}

  /** Asks the other side; resolves with its reply, rejects with its error (or when the channel closes). */
  request<M extends keyof Theirs['requests'] & string>(method: M, params: Params<Theirs, M>): Promise<Result<Theirs, M>> {
    if (this.closedWith !== null) return Promise.reject(new ChannelClosedError(this.closedWith));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.post({ kind: 'request', id, method, params });
    });
  }

  notify<M extends keyof Theirs['notices'] & string>(method: M, params: Theirs['notices'][M]): void {
    if (this.closedWith === null) this.post({ kind: 'notice', method, params });
  }

  /** Requests sent and not yet answered. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Takes one message from the other side. */
  receive(wire: Wire): void {
    if (wire.kind === 'reply') return this.settle(wire);
    if (wire.kind === 'notice') {
      const hear = this.handlers.notices[wire.method as keyof Mine['notices']];
      if (!hear) throw new Error(`no notice ${JSON.stringify(wire.method)}`);
      return hear(wire.params as never);
    }
    void this.answer(wire);
  }

  /** The other side is gone: every request waiting rejects with `reason`, and later ones at once. */
  close(reason: string): void {
    this.closedWith = reason;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const request of pending) request.reject(new ChannelClosedError(reason));
  }

  private async answer({ id, method, params }: Extract<Wire, { kind: 'request' }>): Promise<void> {
    let reply: Wire;
    try {
      const handler = this.handlers.requests[method as keyof Mine['requests']];
      if (!handler) throw new Error(`no request ${JSON.stringify(method)}`);
      reply = { kind: 'reply', id, result: await handler(params as never) };
    } catch (err) {
      reply = { kind: 'reply', id, error: messageOf(err) };
    }
    if (this.closedWith === null) this.post(reply);
  }

  private settle(wire: Extract<Wire, { kind: 'reply' }>): void {
    const request = this.pending.get(wire.id);
    if (!request) return;
    this.pending.delete(wire.id);
    if ('error' in wire) request.reject(new Error(wire.error));
    else request.resolve(wire.result);
  }
}
