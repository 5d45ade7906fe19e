/**
 * Names shared by the outlier detector, its host monitors, stats and event log: Envoy's
 * envoy.data.cluster.v3.OutlierEjectionType
 * (https://www.envoyproxy.io/docs/envoy/latest/api-v3/data/cluster/v3/outlier_detection_event.proto).
 */
export type OutlierEjectionType =
  | 'CONSECUTIVE_5XX'
  | 'CONSECUTIVE_GATEWAY_FAILURE'
  | 'SUCCESS_RATE'
  | 'CONSECUTIVE_LOCAL_ORIGIN_FAILURE'
  | 'SUCCESS_RATE_LOCAL_ORIGIN'
  | 'FAILURE_PERCENTAGE'
  | 'FAILURE_PERCENTAGE_LOCAL_ORIGIN';

/** Which success-rate accumulator: responses (external origin) or connections (local origin). */
export const enum SuccessRateMonitorType {
  ExternalOrigin = 0,
  LocalOrigin = 1,
}
