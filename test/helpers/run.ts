// Runs a scenario text through the engine and returns the CLI's JSON document, parsed back.
import { stringifyStrict, toCliDocument } from '../../core/cliDocument';
import { evaluateScenario, type EvaluateOptions } from '../../core/evaluate';
import type { EngineEvent } from '../../core/events';
import { applyEvent, emptyRunState, type RunState } from '../../core/runState';
import { decodeNonFinite } from './golden';

export async function collect(text: string, options: EvaluateOptions = {}): Promise<EngineEvent[]> {
  const events: EngineEvent[] = [];
  for await (const event of evaluateScenario(text, options)) events.push(event);
  return events;
}

export async function runState(text: string, options: EvaluateOptions = {}): Promise<RunState> {
  const state = emptyRunState();
  for (const event of await collect(text, options)) applyEvent(state, event);
  return state;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CliCell = Record<string, any>;

/** The cells of the CLI document, after a strict-JSON round trip. */
export async function cliCells(scenario: object | string, options: EvaluateOptions = {}): Promise<CliCell[]> {
  const text = typeof scenario === 'string' ? scenario : JSON.stringify(scenario);
  const doc = JSON.parse(stringifyStrict(toCliDocument(await runState(text, options))));
  return decodeNonFinite<{ cells: CliCell[] }>(doc).cells;
}
