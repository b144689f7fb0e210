// Where a scenario stops being JSON, as the editor's status bar would say (Ln, Col).
import { describe, expect, it } from 'vitest';
import { jsonSyntaxError } from '../../extension/jsonSyntax';

describe('jsonSyntaxError', () => {
  it('is null for strict JSON', () => {
    expect(jsonSyntaxError('{"cells": []}')).toBeNull();
  });

  it('points at the token after a missing comma, 1-based', () => {
    const text = '{\n  "version": 1\n  "cells": []\n}';
    // Line 3 is `  "cells": []`: the key starts at column 3.
    expect(jsonSyntaxError(text)).toEqual({ message: 'comma expected', offset: text.indexOf('"cells"'), line: 3, column: 3 });
  });

  it('rejects what only JSONC allows: comments and trailing commas', () => {
    expect(jsonSyntaxError('{"cells": [] // no\n}')).toMatchObject({ line: 1, column: 14 });
    expect(jsonSyntaxError('{"cells": [1,]}')).toMatchObject({ line: 1, column: 14 });
  });

  it('text nested too deep for jsonc-parser still gives an error, not a stack overflow', () => {
    const text = `{"cells": ${'['.repeat(200_000)}`;
    expect(jsonSyntaxError(text)).toMatchObject({ message: expect.not.stringContaining('call stack'), line: 1 });
  });

  it('an empty document is an error at 1:1', () => {
    expect(jsonSyntaxError('')).toMatchObject({ line: 1, column: 1 });
  });
});
