// Ends every switch over a union of events, messages or cell types: when the
// union grows, each switch that does not handle the new member stops compiling.
export function assertNever(value: never, what: string): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
