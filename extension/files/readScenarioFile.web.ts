// Web: every file a scenario names is read through vscode.workspace.fs. Twin of readScenarioFile.ts.
import type { ScenarioFileReader, ScenarioRangeReader } from '../runner';
import { readRangeWithWorkspaceFs, readWithWorkspaceFs } from './workspaceFiles';

export const readScenarioFile: ScenarioFileReader = readWithWorkspaceFs;
export const readScenarioRange: ScenarioRangeReader = readRangeWithWorkspaceFs;

/** The web has no disk the worker could read: its files come through the host. */
export const onDisk = (): null => null;
