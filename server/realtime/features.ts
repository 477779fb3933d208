import type { Services } from "../services";
import { logsFeature } from "./logs-feature";
import { metricsFeature } from "./metrics-feature";
import { terminalFeature } from "./terminal-feature";
import type { RealtimeFeature } from "./realtime-feature";

/** Every live feature, plugged into both gateways by attachRealtime. One line per feature. */
export function realtimeFeatures(services: Services): RealtimeFeature[] {
  return [
    logsFeature(services),
    metricsFeature(services),
    terminalFeature(services),
  ];
}
