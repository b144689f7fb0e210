// Type-level checks, run by vitest's type checker (vitest.config.ts `typecheck`):
// each direction of the protocol has exactly these message types, so adding one
// is a deliberate change made here and at every switch that handles them.
import { describe, expectTypeOf, it } from 'vitest';
import type { HostApi, HostToPanel, PanelToHost, WorkerApi } from '../../core/protocol';

describe('protocol message types', () => {
  it('what the worker answers and hears', () => {
    expectTypeOf<keyof WorkerApi['requests']>().toEqualTypeOf<'run' | 'detail' | 'exportResults'>();
    expectTypeOf<keyof WorkerApi['notices']>().toEqualTypeOf<'stop' | 'pause' | 'step' | 'forget'>();
  });
  it('what the host answers and hears from the worker', () => {
    expectTypeOf<keyof HostApi['requests']>().toEqualTypeOf<'readFile' | 'readRange'>();
    expectTypeOf<keyof HostApi['notices']>().toEqualTypeOf<'events' | 'syntax'>();
  });
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
