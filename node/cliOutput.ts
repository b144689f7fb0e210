// Writes the CLI's result as the cells finish, never as one string: the --json
// document (the same bytes JSON.stringify of the whole document would give) or
// the readable summary. Waits for stdout to drain, so a slow reader bounds memory.
import { once } from 'node:events';
import { cliCell } from '../core/cliDocument';
import { jsonPieces } from '../core/jsonText';
import type { CellResult, Dtype } from '../core/results';
import { cellBlock, heading } from './summary';
import { jsonPrintable } from './terminalText';

/** One cell as the output writes it, in pieces: its JSON (without separator) or its summary block. Pure, so the engine's thread renders it. */
export function* renderCell(result: CellResult, json: boolean): Generator<string> {
  if (!json) return yield cellBlock(result);
  // Piece by piece: the controls jsonPrintable escapes are single UTF-16 units, so no escape straddles two pieces.
  for (const piece of jsonPieces(cliCell(result))) yield jsonPrintable(piece);
}

/** All of a cell's pieces as one string (small cells, such as a failure the main thread writes itself). */
export const renderedText = (result: CellResult, json: boolean): string => [...renderCell(result, json)].join('');

export class CliOutput {
  private cells = 0;

  constructor(
    private readonly json: boolean,
    private readonly stream: NodeJS.WritableStream = process.stdout,
  ) {}

  private async write(text: string): Promise<void> {
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  begin(title: string, dtype: Dtype, kernels: string | undefined): Promise<void> {
    return this.write(
      this.json ? `{"title":${jsonPrintable(JSON.stringify(title))},"dtype":${JSON.stringify(dtype)},"cells":[` : heading(title, dtype, kernels),
    );
  }

  /** A cell rendered by renderCell, or its first piece. */
  cell(rendered: string): Promise<void> {
    const separator = this.json && this.cells++ > 0 ? ',' : '';
    return this.write(separator + rendered);
  }

  /** The next piece of the cell begun with `cell`. */
  more(piece: string): Promise<void> {
    return this.write(piece);
  }

  end(): Promise<void> {
    return this.json ? this.write(']}\n') : Promise.resolve();
  }
}
