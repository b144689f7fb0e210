// Web: every file a scenario names is read through vscode.workspace.fs. Twin of readScenarioFile.ts.
import type { ScenarioFileReader } from '../runner';
import { readWithWorkspaceFs } from './workspaceFiles';

export const readScenarioFile: ScenarioFileReader = readWithWorkspaceFs;
