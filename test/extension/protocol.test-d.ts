// Type-level checks, run by vitest's type checker (vitest.config.ts `typecheck`):
// each side of the protocol answers and hears exactly these methods, so adding one
// is a deliberate change made here and in the handlers that carry them out.
import { describe, expectTypeOf, it } from 'vitest';
import type { HostApi, PanelApi, PanelHostApi, WorkerApi } from '../../core/protocol';

describe('protocol message types', () => {
  it('what the worker answers and hears', () => {
    expectTypeOf<keyof WorkerApi['requests']>().toEqualTypeOf<'run' | 'detail' | 'exportResults' | 'rows'>();
    expectTypeOf<keyof WorkerApi['notices']>().toEqualTypeOf<'stop' | 'pause' | 'step' | 'forget'>();
  });
  it('what the host answers and hears from the worker', () => {
    expectTypeOf<keyof HostApi['requests']>().toEqualTypeOf<'readFile' | 'readRange'>();
    expectTypeOf<keyof HostApi['notices']>().toEqualTypeOf<'events' | 'syntax'>();
  });
  it('what the panel answers and hears', () => {
    expectTypeOf<keyof PanelApi['requests']>().toEqualTypeOf<'draw' | 'focus'>();
    expectTypeOf<keyof PanelApi['notices']>().toEqualTypeOf<'hydrate' | 'syntax' | 'notice' | 'selectCell'>();
  });
  it('what the host answers and hears from the panel', () => {
    expectTypeOf<keyof PanelHostApi['requests']>().toEqualTypeOf<'rowDetail' | 'rows'>();
    expectTypeOf<keyof PanelHostApi['notices']>().toEqualTypeOf<
      'ready' | 'edit' | 'run' | 'stop' | 'pause' | 'resume' | 'step' | 'reveal' | 'undo' | 'redo' | 'export' | 'exportCell' | 'copyAsPytorch'
    >();
  });
});
