// Type-level checks, run by vitest's type checker (vitest.config.ts `typecheck`):
// each direction of the protocol has exactly these message types, so adding one
// is a deliberate change made here and at every switch that handles them.
import { describe, expectTypeOf, it } from 'vitest';
import type { HostToPanel, HostToWorker, PanelToHost, WorkerToHost } from '../../core/protocol';

describe('protocol message types', () => {
  it('host → worker', () =>
    expectTypeOf<HostToWorker['type']>().toEqualTypeOf<'evaluate' | 'cancel' | 'pause' | 'step' | 'file' | 'range' | 'detail'>());
  it('worker → host', () =>
    expectTypeOf<WorkerToHost['type']>().toEqualTypeOf<
      'ready' | 'events' | 'finished' | 'syntax-error' | 'error' | 'readFile' | 'readRange' | 'detail'
    >());
  it('host → panel', () =>
    expectTypeOf<HostToPanel['type']>().toEqualTypeOf<'hydrate' | 'syntax' | 'events' | 'notice' | 'selectCell' | 'rowDetail'>());
  it('panel → host', () =>
    expectTypeOf<PanelToHost['type']>().toEqualTypeOf<
      | 'ready'
      | 'drawn'
      | 'edit'
      | 'run'
      | 'stop'
      | 'pause'
      | 'resume'
      | 'step'
      | 'reveal'
      | 'undo'
      | 'redo'
      | 'export'
      | 'exportCell'
      | 'copyAsPytorch'
      | 'rowDetail'
    >());
});
