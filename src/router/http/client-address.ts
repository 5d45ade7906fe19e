/**
 * The downstream client address as Envoy's connection manager settles it (what %DOWNSTREAM_REMOTE_ADDRESS%,
 * the rate limit `remote_address` action and RBAC see), from the peer and x-forwarded-for:
 *
 *   use_remote_address, xff_num_trusted_hops = 0   → the peer
 *   use_remote_address, N > 0 trusted hops         → XFF's Nth address from the right (before we append the peer)
 *   !use_remote_address, N trusted hops            → XFF's (N+1)th address from the right
 *   XFF absent, too short or not an IP             → the peer
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/headers#x-forwarded-for
 */
import { isIP } from 'node:net';

export function clientAddress(useRemoteAddress: boolean, xffNumTrustedHops: number, peer: string, headers: readonly string[]): string {
  if (useRemoteAddress && xffNumTrustedHops === 0) return peer;
  const skip = useRemoteAddress ? xffNumTrustedHops - 1 : xffNumTrustedHops;
  let xff = '';
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] === 'x-forwarded-for') xff = xff === '' ? headers[i + 1] : `${xff},${headers[i + 1]}`;
  }
  if (xff === '') return peer;
  const parts = xff.split(',');
  const index = parts.length - 1 - skip;
  if (index < 0) return peer;
  const candidate = parts[index].trim();
  return isIP(candidate) !== 0 ? candidate : peer;
}
