import type { Services } from "../services";
import type { RealtimeFeature } from "./realtime-feature";

/** Every live feature, plugged into both gateways by attachRealtime. One line per feature. */
export function realtimeFeatures(services: Services): RealtimeFeature[] {
  void services;
  return [];
}
