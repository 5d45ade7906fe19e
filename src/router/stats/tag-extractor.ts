/**
 * Envoy's default tag extraction (source/common/config/well_known_names.cc), used by the
 * Prometheus renderer: `cluster.foo.upstream_rq_2xx` → name `cluster.upstream_rq_xx` with tags
 * envoy_response_code_class="2", envoy_cluster_name="foo".
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/metrics/v3/stats.proto#config-metrics-v3-tagspecifier
 *
 * Algorithm (as Envoy's TagProducer): every extractor runs on the ORIGINAL name in the order
 * below. On a match, capture group 1 is the text to remove and group 2 (or 1 when there is no
 * group 2) is the tag value. The extracted name is the original minus all removed ranges.
 * These patterns are ours and fixed (not tenant input), so the JS engine is fine here; the `d`
 * flag gives the capture offsets.
 */

export interface Tag {
  readonly name: string;
  readonly value: string;
}

export interface ExtractedName {
  readonly name: string;
  readonly tags: readonly Tag[];
}

interface Extractor {
  readonly name: string;
  readonly regex: RegExp;
  /** Cheap pre-check: the regex can only match names containing this. */
  readonly substr: string;
}

// Order matters only for the order of tags in the output; Envoy's order is kept.
const EXTRACTORS: readonly Extractor[] = [
  { name: 'envoy.response_code', regex: /_rq(_(\d{3}))$/d, substr: '_rq_' },
  { name: 'envoy.response_code_class', regex: /_rq_(\d)xx$/d, substr: '_rq_' },
  { name: 'envoy.http_user_agent', regex: /^http(?=\.).*?\.user_agent\.((.*?)\.)\w+?$/d, substr: '.user_agent.' },
  { name: 'envoy.virtual_cluster', regex: /^vhost(?=\.).*?\.vcluster\.((.*?)\.)\w+?$/d, substr: '.vcluster.' },
  { name: 'envoy.fault_downstream_cluster', regex: /^http(?=\.).*?\.fault\.((.*?)\.)\w+?$/d, substr: '.fault.' },
  { name: 'envoy.ssl_cipher', regex: /^listener(?=\.).*?\.ssl\.cipher(\.(.*?))$/d, substr: '' },
  { name: 'envoy.ssl_cipher_suite', regex: /^cluster(?=\.).*?\.ssl\.ciphers(\.(.*?))$/d, substr: '.ssl.ciphers.' },
  { name: 'envoy.tcp_prefix', regex: /^tcp\.((.*?)\.)\w+?$/d, substr: '' },
  { name: 'envoy.udp_prefix', regex: /^udp\.((.*?)\.)\w+?$/d, substr: '' },
  { name: 'envoy.ratelimit_prefix', regex: /^ratelimit\.((.*?)\.)\w+?$/d, substr: '' },
  { name: 'envoy.cluster_name', regex: /^cluster\.(([^.]+)\.).*/d, substr: '' },
  { name: 'envoy.http_conn_manager_prefix', regex: /^listener(?=\.).*?\.http\.((.*?)\.)/d, substr: '.http.' },
  { name: 'envoy.http_conn_manager_prefix', regex: /^http\.((.*?)\.)/d, substr: '' },
  { name: 'envoy.listener_address', regex: /^listener\.(((?:[_.\d]*|[_[\]aAbBcCdDeEfF\d]*))\.)/d, substr: '' },
  { name: 'envoy.virtual_host', regex: /^vhost\.((.*?)\.)/d, substr: '' },
  { name: 'envoy.rds_route_config', regex: /^http(?=\.).*?\.rds\.((.*?)\.)\w+?$/d, substr: '.rds.' },
  { name: 'envoy.worker_id', regex: /^listener_manager\.((worker_\d+)\.)/d, substr: 'listener_manager.worker_' },
];

const MAX_CACHE = 100_000;
const cache = new Map<string, ExtractedName>();

/** The tag-extracted name and tags of a stat name (memoized: names are few and stable). */
export function extractTags(statName: string): ExtractedName {
  let hit = cache.get(statName);
  if (hit === undefined) {
    hit = extract(statName);
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(statName, hit);
  }
  return hit;
}

function extract(statName: string): ExtractedName {
  const tags: Tag[] = [];
  const remove: [number, number][] = [];
  for (const ex of EXTRACTORS) {
    if (ex.substr !== '' && !statName.includes(ex.substr)) continue;
    const m = ex.regex.exec(statName);
    if (m === null || m[1] === undefined) continue;
    const span = m.indices?.[1];
    if (span === undefined) continue;
    const start = span[0];
    tags.push({ name: ex.name, value: m[2] ?? m[1] });
    remove.push([start, span[1]]);
  }
  if (remove.length === 0) return { name: statName, tags };
  const keep = new Array<boolean>(statName.length).fill(true);
  for (const [a, b] of remove) for (let i = a; i < b; i++) keep[i] = false;
  let name = '';
  for (let i = 0; i < statName.length; i++) if (keep[i]) name += statName[i];
  return { name, tags };
}
