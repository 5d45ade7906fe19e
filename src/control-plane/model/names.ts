/**
 * Naming rules of the platform (DESIGN §3): DNS labels for services, tenants, regions and tags,
 * custom domain names, endpoint addresses, and the service host derived from them.
 *
 *   host = <name>-<id>.<region>.<base-domain>          tag host = <tag>---<host>
 *
 * Each checker returns null when the value is fine, else the message for a FieldError.
 * Pure: no node:net (isIP) here, so the model folder stays free of I/O modules.
 */

/** Longest service name: with '-' and the 8-character id it leaves room for an 11-character tag in one 63-character label. */
export const MAX_SERVICE_NAME_LENGTH = 40;
export const SERVICE_ID_LENGTH = 8;
export const MAX_DNS_LABEL_LENGTH = 63;
/** Separates a revision tag from the service host; so no name may contain it. */
export const TAG_SEPARATOR = '---';

const LABEL_CHARS = /^[a-z0-9-]+$/;

/** RFC 1123 label: lowercase letters, digits and '-', not starting or ending with '-'. */
export function checkDnsLabel(value: string, maxLength = MAX_DNS_LABEL_LENGTH): string | null {
  if (value.length === 0 || value.length > maxLength) return `must be 1–${maxLength} characters, got ${value.length}`;
  if (!LABEL_CHARS.test(value)) return `must contain only lowercase letters, digits and '-', got ${JSON.stringify(value)}`;
  if (value.startsWith('-') || value.endsWith('-')) return `must not start or end with '-', got ${JSON.stringify(value)}`;
  if (value.includes(TAG_SEPARATOR)) return `must not contain '${TAG_SEPARATOR}' (it separates revision tags from the service host), got ${JSON.stringify(value)}`;
  return null;
}

export function checkServiceName(value: string): string | null {
  return checkDnsLabel(value, MAX_SERVICE_NAME_LENGTH);
}

/** The longest tag that still fits `<tag>---<name>-<id>` in one DNS label. */
export function maxTagLength(serviceName: string): number {
  return MAX_DNS_LABEL_LENGTH - TAG_SEPARATOR.length - serviceName.length - 1 - SERVICE_ID_LENGTH;
}

/** A custom domain: lowercase FQDN of at least two labels, no wildcard, at most 253 characters. */
export function checkDomainName(value: string): string | null {
  if (value.length === 0 || value.length > 253) return `must be 1–253 characters, got ${value.length}`;
  if (value.startsWith('*')) return `wildcard domains are not supported, got ${JSON.stringify(value)}`;
  const labels = value.split('.');
  if (labels.length < 2) return `must be a fully qualified domain name such as "app.example.com", got ${JSON.stringify(value)}`;
  for (const label of labels) {
    if (label.length === 0 || label.length > MAX_DNS_LABEL_LENGTH || !LABEL_CHARS.test(label) || label.startsWith('-') || label.endsWith('-')) {
      return `must be a domain name of lowercase labels (letters, digits, inner '-'), 1–63 characters each, got ${JSON.stringify(value)}`;
    }
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return `must be a domain name, not an IP address, got ${JSON.stringify(value)}`;
  return null;
}

const IPV4 = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;

export function isIpAddress(value: string): boolean {
  if (IPV4.test(value)) return true;
  if (!value.includes(':') || value.includes('[') || value.includes('/')) return false;
  try {
    // The WHATWG URL parser is a complete IPv6 literal parser and does no I/O.
    new URL(`http://[${value}]/`);
    return true;
  } catch {
    return false;
  }
}

/** `<name>-<id>.<region>.<baseDomain>` (DESIGN §3). */
export function serviceHost(name: string, id: string, region: string, baseDomain: string): string {
  return `${name}-${id}.${region}.${baseDomain}`;
}

/** `http://<host>`, with `:<port>` unless the listener is on 80. */
export function serviceUrl(host: string, httpPort: number): string {
  return httpPort === 80 ? `http://${host}` : `http://${host}:${httpPort}`;
}

/** The host a revision tag gets: `<tag>---<service host>`. */
export function tagHost(tag: string, host: string): string {
  return `${tag}${TAG_SEPARATOR}${host}`;
}

export function revisionName(number: number): string {
  return `rev-${number}`;
}

/** True when `domain` is the platform's base domain or under it: those hosts belong to the platform, never to a tenant. */
export function isUnderBaseDomain(domain: string, baseDomain: string): boolean {
  return domain === baseDomain || domain.endsWith(`.${baseDomain}`);
}
