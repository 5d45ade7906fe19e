/**
 * io.prometheus.client (prometheus/client_model `metrics.proto`) as a protobufjs JSON descriptor.
 *
 * envoy/service/metrics/v3/metrics_service.proto imports it, but @grpc/grpc-js-xds does not ship
 * it in deps/. We define the subset Envoy's metrics service sink emits (counter, gauge, summary,
 * untyped and classic histograms) with the same field numbers, so MetricFamily decodes; fields we
 * leave out (native-histogram sparse buckets, exemplars) are skipped as unknown on decode.
 * https://github.com/prometheus/client_model/blob/master/io/prometheus/client/metrics.proto
 */
import type { INamespace } from 'protobufjs';

type FieldJson = { type: string; id: number; rule: 'optional' | 'repeated' };
const optional = (type: string, id: number): FieldJson => ({ type, id, rule: 'optional' });
const repeated = (type: string, id: number): FieldJson => ({ type, id, rule: 'repeated' });
/** A proto2 message: its optional scalars have explicit presence (COUNTER = 0 still counts as set). */
const message = (fields: Record<string, FieldJson>) => ({ edition: 'proto2', fields });

export const PROMETHEUS_CLIENT_MODEL: INamespace = {
  nested: {
    io: {
      nested: {
        prometheus: {
          nested: {
            client: {
              nested: {
                LabelPair: message({ name: optional('string', 1), value: optional('string', 2) }),
                MetricType: { values: { COUNTER: 0, GAUGE: 1, SUMMARY: 2, UNTYPED: 3, HISTOGRAM: 4, GAUGE_HISTOGRAM: 5 } },
                Gauge: message({ value: optional('double', 1) }),
                Counter: message({ value: optional('double', 1) }),
                Quantile: message({ quantile: optional('double', 1), value: optional('double', 2) }),
                Summary: message({ sample_count: optional('uint64', 1), sample_sum: optional('double', 2), quantile: repeated('Quantile', 3) }),
                Untyped: message({ value: optional('double', 1) }),
                Bucket: message({ cumulative_count: optional('uint64', 1), upper_bound: optional('double', 2) }),
                Histogram: message({ sample_count: optional('uint64', 1), sample_sum: optional('double', 2), bucket: repeated('Bucket', 3) }),
                Metric: message({
                  label: repeated('LabelPair', 1),
                  gauge: optional('Gauge', 2),
                  counter: optional('Counter', 3),
                  summary: optional('Summary', 4),
                  untyped: optional('Untyped', 5),
                  timestamp_ms: optional('int64', 6),
                  histogram: optional('Histogram', 7),
                }),
                MetricFamily: message({ name: optional('string', 1), help: optional('string', 2), type: optional('MetricType', 3), metric: repeated('Metric', 4) }),
              },
            },
          },
        },
      },
    },
  },
};
