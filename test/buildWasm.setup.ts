// vitest globalSetup: the engine imports the generated WebAssembly module, so
// make sure it is built (and current) before any suite loads it.
import { buildWasm } from '../scripts/build-wasm.mjs';

export default async function setup(): Promise<void> {
  await buildWasm({ quiet: true });
}
