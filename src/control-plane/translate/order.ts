/**
 * Deterministic ordering for emitted resources, so golden files and snapshot versions are stable.
 * Plain UTF-16 code-unit order: `localeCompare` would depend on the process's ICU locale.
 */

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A sorted copy of `items` by `key`. */
export function sortedBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((x, y) => compareStrings(key(x), key(y)));
}
