/**
 * HTTP connection manager and router-filter stats, resolved once per stat prefix. Names are
 * Envoy's: http.<stat_prefix>.<stat>.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/stats
 */
import type { Counter, Gauge, Histogram, StatsStore } from '../stats/stats-store.js';

export class HcmStats {
  readonly downstreamCxTotal: Counter;
  readonly downstreamCxActive: Gauge;
  readonly downstreamCxHttp1Total: Counter;
  readonly downstreamCxHttp1Active: Gauge;
  readonly downstreamCxHttp2Total: Counter;
  readonly downstreamCxHttp2Active: Gauge;
  readonly downstreamCxDestroy: Counter;
  readonly downstreamCxProtocolError: Counter;
  readonly downstreamCxIdleTimeout: Counter;
  readonly downstreamCxDrainClose: Counter;
  readonly downstreamCxRxBytesTotal: Counter;
  readonly downstreamCxTxBytesTotal: Counter;
  readonly downstreamCxUpgradesTotal: Counter;
  readonly downstreamCxUpgradesActive: Gauge;
  readonly downstreamRqTotal: Counter;
  readonly downstreamRqHttp1Total: Counter;
  readonly downstreamRqHttp2Total: Counter;
  readonly downstreamRqActive: Gauge;
  readonly downstreamRqCompleted: Counter;
  /** downstream_rq_1xx … 5xx indexed by status / 100. */
  readonly downstreamRqClass: Counter[];
  readonly downstreamRqTime: Histogram;
  readonly downstreamRqTimeout: Counter;
  readonly downstreamRqIdleTimeout: Counter;
  readonly downstreamRqHeaderTimeout: Counter;
  readonly downstreamRqMaxDurationReached: Counter;
  readonly downstreamRqRxReset: Counter;
  readonly downstreamRqTxReset: Counter;
  readonly downstreamRqWsOnNonWsRoute: Counter;
  readonly noRoute: Counter;
  readonly noCluster: Counter;
  readonly rqRedirect: Counter;
  readonly rqDirectResponse: Counter;

  constructor(store: StatsStore, statPrefix: string) {
    const p = `http.${statPrefix}.`;
    const c = (n: string) => store.counter(p + n);
    const g = (n: string) => store.gauge(p + n);
    this.downstreamCxTotal = c('downstream_cx_total');
    this.downstreamCxActive = g('downstream_cx_active');
    this.downstreamCxHttp1Total = c('downstream_cx_http1_total');
    this.downstreamCxHttp1Active = g('downstream_cx_http1_active');
    this.downstreamCxHttp2Total = c('downstream_cx_http2_total');
    this.downstreamCxHttp2Active = g('downstream_cx_http2_active');
    this.downstreamCxDestroy = c('downstream_cx_destroy');
    this.downstreamCxProtocolError = c('downstream_cx_protocol_error');
    this.downstreamCxIdleTimeout = c('downstream_cx_idle_timeout');
    this.downstreamCxDrainClose = c('downstream_cx_drain_close');
    this.downstreamCxRxBytesTotal = c('downstream_cx_rx_bytes_total');
    this.downstreamCxTxBytesTotal = c('downstream_cx_tx_bytes_total');
    this.downstreamCxUpgradesTotal = c('downstream_cx_upgrades_total');
    this.downstreamCxUpgradesActive = g('downstream_cx_upgrades_active');
    this.downstreamRqTotal = c('downstream_rq_total');
    this.downstreamRqHttp1Total = c('downstream_rq_http1_total');
    this.downstreamRqHttp2Total = c('downstream_rq_http2_total');
    this.downstreamRqActive = g('downstream_rq_active');
    this.downstreamRqCompleted = c('downstream_rq_completed');
    this.downstreamRqClass = [1, 1, 2, 3, 4, 5].map((k) => c(`downstream_rq_${k}xx`));
    this.downstreamRqTime = store.histogram(p + 'downstream_rq_time', 'ms');
    this.downstreamRqTimeout = c('downstream_rq_timeout');
    this.downstreamRqIdleTimeout = c('downstream_rq_idle_timeout');
    this.downstreamRqHeaderTimeout = c('downstream_rq_header_timeout');
    this.downstreamRqMaxDurationReached = c('downstream_rq_max_duration_reached');
    this.downstreamRqRxReset = c('downstream_rq_rx_reset');
    this.downstreamRqTxReset = c('downstream_rq_tx_reset');
    this.downstreamRqWsOnNonWsRoute = c('downstream_rq_ws_on_non_ws_route');
    this.noRoute = c('no_route');
    this.noCluster = c('no_cluster');
    this.rqRedirect = c('rq_redirect');
    this.rqDirectResponse = c('rq_direct_response');
  }
}
