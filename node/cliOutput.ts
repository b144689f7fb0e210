// Writes the CLI's result as the cells finish, never as one string: the --json
// document (the same bytes JSON.stringify of the whole document would give) or
// the readable summary. Waits for stdout to drain, so a slow reader bounds memory.
import { once } from 'node:events';
import { cliCell, stringifyStrict } from '../core/cliDocument';
import type { CellResult, Dtype } from '../core/results';
import { cellBlock, heading } from './summary';
import { jsonPrintable } from './terminalText';

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

  cell(result: CellResult): Promise<void> {
    const separator = this.cells++ === 0 ? '' : ',';
    return this.write(this.json ? separator + jsonPrintable(stringifyStrict(cliCell(result))) : cellBlock(result));
  }

  end(): Promise<void> {
    return this.json ? this.write(']}\n') : Promise.resolve();
  }
}
