// The engine's public surface: evaluate a scenario text as a stream of events.
export type { EngineEvent, PanelEvent } from './events';
export * from './results';
export { applyEvent, emptyRunState } from './runState';
export type { RunState, CellState, CellStatus, PanelRunState, PanelCellState } from './runState';
export { evaluateScenario } from './evaluate';
export type { EvaluateOptions } from './evaluate';
export { toCliDocument } from './cliDocument';
export { panelEvent, panelRunState } from './panelResults';
