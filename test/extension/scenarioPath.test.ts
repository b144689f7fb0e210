// The rule every file reader applies before touching a file system: relative
// paths only, resolved against the scenario's folder, staying inside the root.
import { describe, expect, it } from 'vitest';
import { isInside, resolveScenarioPath } from '../../extension/files/scenarioPath';

describe('scenario file paths', () => {
  it('resolves relative paths against the scenario folder, . and .. included', () => {
    expect(resolveScenarioPath('/ws/examples', 'data/logits.npy')).toBe('/ws/examples/data/logits.npy');
    expect(resolveScenarioPath('/ws/examples', './data//x.npy')).toBe('/ws/examples/data/x.npy');
    expect(resolveScenarioPath('/ws/examples', '../data/x.npy')).toBe('/ws/data/x.npy');
    expect(resolveScenarioPath('/ws/examples', 'data\\x.npy')).toBe('/ws/examples/data/x.npy');
    expect(resolveScenarioPath('/ws', '../../../../etc/passwd')).toBe('/etc/passwd');
  });

  it('refuses absolute paths and URIs', () => {
    for (const p of ['/etc/passwd', '\\\\server\\x.npy', 'C:/x.npy', 'https://example.com/x.npy', 'file:///x.npy']) {
      expect(() => resolveScenarioPath('/ws', p)).toThrow(/absolute/);
    }
  });

  it('is inside its root only below it, not beside it', () => {
    expect(isInside('/ws', '/ws/a/b.npy')).toBe(true);
    expect(isInside('/ws/', '/ws/a.npy')).toBe(true);
    expect(isInside('/ws', '/ws')).toBe(true);
    expect(isInside('/ws', '/ws2/a.npy')).toBe(false);
    expect(isInside('/ws', '/etc/passwd')).toBe(false);
  });
});
