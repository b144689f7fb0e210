// The web build's engine Web Worker bundle, as text (made by scripts/buildConfig.mjs).
declare module 'ce-lab:engine-worker' {
  const source: string;
  export default source;
}
