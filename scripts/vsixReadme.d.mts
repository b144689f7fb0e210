export function readmeForVsix(markdown: string): string;
