// The notebook serializer VS Code calls for `ce-lab-notebook`: bytes <->
// NotebookData through notebookText.ts. The file's text rides in the notebook
// metadata and each cell's place in the file in its cell metadata, so saving
// can splice; outputs are transient (never written, never make it dirty).
import * as vscode from 'vscode';
import { parseNotebook, serializeNotebook, type NotebookModel } from './notebookText';

export const NOTEBOOK_TYPE = 'ce-lab-notebook';

/** Outputs are results, not content: they never reach the file nor mark the notebook dirty. */
export const NOTEBOOK_OPTIONS: vscode.NotebookDocumentContentOptions = { transientOutputs: true };

interface NotebookMeta {
  ceLab?: { source?: string; fields?: Record<string, unknown> };
}
interface CellMeta {
  ceLab?: { origin?: number };
}

/** A BOM is kept as a character (and the text is then no scenario: it saves as typed); bytes that are not UTF-8 refuse to open rather than be lost. */
const decoder = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
const encoder = new TextEncoder();

export class ScenarioNotebookSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const model = parseNotebook(decoder.decode(content));
    const data = new vscode.NotebookData(
      model.cells.map((cell) => {
        const kind = cell.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code;
        const data = new vscode.NotebookCellData(kind, cell.value, cell.kind === 'markdown' ? 'markdown' : 'json');
        data.metadata = { ceLab: { origin: cell.origin } } satisfies CellMeta;
        return data;
      }),
    );
    data.metadata = { ceLab: { source: model.source, fields: model.fields } } satisfies NotebookMeta;
    return data;
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    return encoder.encode(serializeNotebook(modelOf(data.cells, data.metadata)));
  }
}

/** The model of an open notebook (what it would save now). */
export function modelOfDocument(notebook: vscode.NotebookDocument): NotebookModel {
  const cells = notebook.getCells().map((c) => ({ kind: c.kind, value: c.document.getText(), metadata: c.metadata }));
  return modelOf(cells, notebook.metadata);
}

function modelOf(
  cells: readonly { kind: vscode.NotebookCellKind; value: string; metadata?: CellMeta }[],
  metadata: NotebookMeta | undefined,
): NotebookModel {
  // A notebook made elsewhere (no metadata) saves as a new scenario.
  const source = metadata?.ceLab?.source ?? '{\n  "version": 1,\n  "cells": []\n}\n';
  return {
    source,
    fields: metadata?.ceLab?.fields ?? parseNotebook(source).fields,
    cells: cells.map((c) => ({
      kind: c.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'code',
      value: c.value,
      ...(c.metadata?.ceLab?.origin === undefined ? {} : { origin: c.metadata.ceLab.origin }),
    })),
  };
}
