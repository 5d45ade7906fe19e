/** 'ip:port' as Envoy prints addresses: '[v6]:port' for IPv6, IPv4-mapped addresses as plain IPv4. */
export function joinHostPort(host: string, port: number): string {
  if (host.startsWith('::ffff:')) host = host.slice(7);
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
