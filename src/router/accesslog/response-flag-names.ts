/**
 * Envoy's response flags: short code → long name (%RESPONSE_FLAGS% / %RESPONSE_FLAGS_LONG%, and
 * the names response_flag_filter accepts).
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage#config-access-log-format-response-flags
 */
export const RESPONSE_FLAG_LONG_NAMES: ReadonlyMap<string, string> = new Map([
  ['UH', 'NoHealthyUpstream'],
  ['UF', 'UpstreamConnectionFailure'],
  ['UO', 'UpstreamOverflow'],
  ['NR', 'NoRouteFound'],
  ['URX', 'UpstreamRetryLimitExceeded'],
  ['NC', 'NoClusterFound'],
  ['DT', 'DurationTimeout'],
  ['DC', 'DownstreamConnectionTermination'],
  ['LH', 'FailedLocalHealthCheck'],
  ['UT', 'UpstreamRequestTimeout'],
  ['LR', 'LocalReset'],
  ['UR', 'UpstreamRemoteReset'],
  ['UC', 'UpstreamConnectionTermination'],
  ['DI', 'DelayInjected'],
  ['FI', 'FaultInjected'],
  ['RL', 'RateLimited'],
  ['UAEX', 'UnauthorizedExternalService'],
  ['RLSE', 'RateLimitServiceError'],
  ['IH', 'InvalidEnvoyRequestHeaders'],
  ['SI', 'StreamIdleTimeout'],
  ['DPE', 'DownstreamProtocolError'],
  ['UPE', 'UpstreamProtocolError'],
  ['UMSDR', 'UpstreamMaxStreamDurationReached'],
  ['RFCF', 'ResponseFromCacheFilter'],
  ['NFCF', 'NoFilterConfigFound'],
  ['OM', 'OverloadManagerTerminated'],
  ['DF', 'DnsResolutionFailed'],
  ['DO', 'DropOverload'],
  ['DR', 'DownstreamRemoteReset'],
  ['UDO', 'UnconditionalDropOverload'],
]);

/** 'UF,URX' → 'UpstreamConnectionFailure,UpstreamRetryLimitExceeded'; '-' stays '-'. */
export function longResponseFlags(flags: string): string {
  if (flags === '' || flags === '-') return '-';
  const parts = flags.split(',');
  for (let i = 0; i < parts.length; i++) parts[i] = RESPONSE_FLAG_LONG_NAMES.get(parts[i]) ?? parts[i];
  return parts.join(',');
}
