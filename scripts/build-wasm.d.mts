export function buildWasm(options?: { quiet?: boolean }): Promise<void>;
