/**
 * Header hygiene shared by requests and responses: hop-by-hop headers (RFC 9110 §7.6.1) never
 * cross the proxy, and neither do headers named in `Connection`.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'http2-settings']);

/** True when `name` (lower-case) is hop-by-hop by definition. */
export function isHopByHop(name: string): boolean {
  return HOP_BY_HOP.has(name);
}

/**
 * The extra header names the peer listed in `Connection` (lower-case), or null when none — the
 * common case, so no Set is allocated for it.
 */
export function connectionNominated(headers: readonly string[]): Set<string> | null {
  let nominated: Set<string> | null = null;
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] !== 'connection') continue;
    const value = headers[i + 1];
    let start = 0;
    while (start <= value.length) {
      let end = value.indexOf(',', start);
      if (end === -1) end = value.length;
      const token = value.slice(start, end).trim().toLowerCase();
      if (token !== '' && token !== 'close' && token !== 'keep-alive' && token !== 'upgrade' && !HOP_BY_HOP.has(token)) {
        (nominated ??= new Set()).add(token);
      }
      start = end + 1;
    }
  }
  return nominated;
}

/** Value of the first header `name` in a flat [name, value, …] list, or undefined. */
export function getHeader(headers: readonly string[], name: string): string | undefined {
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) return headers[i + 1];
  return undefined;
}
