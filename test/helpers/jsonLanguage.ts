// The JSON language service VS Code's own JSON support runs on, loaded with
// CE Lab's schema: what a user sees on hover, in completion and as schema
// diagnostics, without starting VS Code.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { getLanguageService, TextDocument, type CompletionList, type Diagnostic, type Hover } from 'vscode-json-languageservice';

const SCHEMA_PATH = path.resolve(__dirname, '..', '..', 'media', 'schemas', 'ce-scenario.schema.json');
const SCHEMA_URI = 'file:///ce-lab/ce-scenario.schema.json';

export const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));

const service = getLanguageService({});
service.configure({ validate: true, allowComments: false, schemas: [{ uri: SCHEMA_URI, fileMatch: ['*.ce.json'], schema }] });

/** `text` with a `|` marking the cursor. */
function at(marked: string) {
  const offset = marked.indexOf('|');
  if (offset < 0) throw new Error('mark the cursor with |');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const document = TextDocument.create('file:///ws/a.ce.json', 'json', 1, text);
  return { document, json: service.parseJSONDocument(document), position: document.positionAt(offset) };
}

export async function hoverAt(marked: string): Promise<string> {
  const { document, json, position } = at(marked);
  const hover: Hover | null = await service.doHover(document, position, json);
  const contents = hover?.contents;
  if (!contents) return '';
  const parts = Array.isArray(contents) ? contents : [contents];
  return parts.map((p) => (typeof p === 'string' ? p : p.value)).join('\n');
}

export async function completeAt(marked: string): Promise<CompletionList> {
  const { document, json, position } = at(marked);
  return (await service.doComplete(document, position, json)) ?? { isIncomplete: false, items: [] };
}

export async function validate(text: string): Promise<Diagnostic[]> {
  const document = TextDocument.create('file:///ws/a.ce.json', 'json', 1, text);
  return service.doValidation(document, service.parseJSONDocument(document));
}
