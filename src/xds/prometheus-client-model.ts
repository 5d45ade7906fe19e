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

const optional = (type: string, id: number) => ({ type, id, rule: 'optional' as const });
const repeated = (type: string, id: number) => ({ type, id, rule: 'repeated' as const });

export const PROMETHEUS_CLIENT_MODEL: INamespace = {
  nested: {
    io: {
      nested: {
        prometheus: {
          nested: {
            client: {
              nested: {
                LabelPair: { fields: { name: optional('string', 1), value: optional('string', 2) } },
                MetricType: { values: { COUNTER: 0, GAUGE: 1, SUMMARY: 2, UNTYPED: 3, HISTOGRAM: 4, GAUGE_HISTOGRAM: 5 } },
                Gauge: { fields: { value: optional('double', 1) } },
                Counter: { fields: { value: optional('double', 1) } },
                Quantile: { fields: { quantile: optional('double', 1), value: optional('double', 2) } },
                Summary: {
                  fields: { sample_count: optional('uint64', 1), sample_sum: optional('double', 2), quantile: repeated('Quantile', 3) },
                },
                Untyped: { fields: { value: optional('double', 1) } },
                Bucket: { fields: { cumulative_count: optional('uint64', 1), upper_bound: optional('double', 2) } },
                Histogram: {
                  fields: { sample_count: optional('uint64', 1), sample_sum: optional('double', 2), bucket: repeated('Bucket', 3) },
                },
                Metric: {
                  fields: {
                    label: repeated('LabelPair', 1),
                    gauge: optional('Gauge', 2),
                    counter: optional('Counter', 3),
                    summary: optional('Summary', 4),
                    untyped: optional('Untyped', 5),
                    timestamp_ms: optional('int64', 6),
                    histogram: optional('Histogram', 7),
                  },
                },
                MetricFamily: {
                  fields: { name: optional('string', 1), help: optional('string', 2), type: optional('MetricType', 3), metric: repeated('Metric', 4) },
                },
              },
            },
          },
        },
      },
    },
  },
};
