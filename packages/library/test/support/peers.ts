/** The error Node's ESM loader throws for a package that is not installed. */
export function moduleNotFound(pkg: string): Error {
  return Object.assign(new Error(`Cannot find package '${pkg}' imported from /app/node_modules/@almanac/library/dist/adapter.js`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
}
