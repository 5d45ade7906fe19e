/**
 * Common field names, recognized straight from the bytes in any letter case. A known name comes
 * back as one shared lower-case constant: no string is made per header line, no toLowerCase()
 * copy, and the constants' hashes are computed once, so the Set and === lookups the proxy does on
 * every name are cheap. (Node's HTTP parser binding keeps a similar list of well-known names.)
 */
import { Buffer } from 'node:buffer';

const COMMON_NAMES = [
  'host', 'user-agent', 'accept', 'accept-encoding', 'accept-language', 'accept-ranges', 'connection',
  'content-length', 'content-type', 'content-encoding', 'transfer-encoding', 'date', 'server',
  'cache-control', 'pragma', 'cookie', 'set-cookie', 'authorization', 'referer', 'origin', 'location',
  'etag', 'last-modified', 'vary', 'expect', 'expires', 'if-none-match', 'if-modified-since', 'range',
  'keep-alive', 'upgrade', 'te', 'trailer', 'via', 'x-request-id', 'x-forwarded-for', 'x-forwarded-proto',
  'x-forwarded-host', 'x-real-ip', 'x-envoy-upstream-service-time', 'x-envoy-expected-rq-timeout-ms',
  'x-envoy-original-path', 'x-envoy-attempt-count', 'traceparent', 'tracestate', 'sec-websocket-key',
  'sec-websocket-version', 'sec-websocket-accept', 'sec-websocket-protocol', 'sec-websocket-extensions',
];

interface KnownName {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Candidates by name length. */
const BY_LENGTH: (KnownName[] | undefined)[] = [];
for (const name of COMMON_NAMES) {
  (BY_LENGTH[name.length] ??= []).push({ name, bytes: Buffer.from(name, 'latin1') });
}

/**
 * The constant for the field name b[s, e) if it is a common one (compared case-insensitively),
 * else null. The bytes must already be valid token characters: `| 0x20` lower-cases A–Z, and the
 * few other token characters it changes (^ _) cannot turn into any character of these names.
 */
export function knownHeaderName(b: Uint8Array, s: number, e: number): string | null {
  const candidates = BY_LENGTH[e - s];
  if (candidates === undefined) return null;
  for (let k = 0; k < candidates.length; k++) {
    const bytes = candidates[k].bytes;
    let i = 0;
    while (i < bytes.length && (b[s + i] | 0x20) === bytes[i]) i++;
    if (i === bytes.length) return candidates[k].name;
  }
  return null;
}
