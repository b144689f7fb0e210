// Where a file named in a scenario is, as a URI path, and whether it stays in
// the workspace folder. Pure (no vscode): the rule every reader applies first.

/** Resolves `relativePath` against the folder `folderPath` (URI paths, '/'-separated); throws when it is absolute. */
export function resolveScenarioPath(folderPath: string, relativePath: string): string {
  if (/^([a-z][a-z0-9+.-]*:|[\\/])/i.test(relativePath))
    throw new Error(`"${relativePath}" is absolute: write a path relative to the scenario's folder`);
  const parts: string[] = [];
  for (const part of `${folderPath}/${relativePath.replace(/\\/g, '/')}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

/** True when `path` is `rootPath` or lies below it. */
export function isInside(rootPath: string, path: string): boolean {
  const root = rootPath.endsWith('/') ? rootPath : rootPath + '/';
  return path === rootPath || path.startsWith(root);
}
