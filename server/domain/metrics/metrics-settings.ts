import { z } from "zod";
import { MAX_METRICS_INTERVAL_S, MIN_METRICS_INTERVAL_S } from "../../../agents/protocol";

const ZSettings = z.object({
  /** How often agents read and send metrics, in seconds (1-60). */
  PORTOLAN_METRICS_INTERVAL: z.coerce.number().int().min(MIN_METRICS_INTERVAL_S).max(MAX_METRICS_INTERVAL_S).default(1),
  /** "watched" (default): full container detail only while someone watches; "all": always, for every container. */
  PORTOLAN_METRICS_DETAIL: z.enum(["watched", "all"]).default("watched"),
});

export type MetricsSettings = { intervalSeconds: number; allDetail: boolean };

export function loadMetricsSettings(env: Record<string, string | undefined> = process.env): MetricsSettings {
  const parsed = ZSettings.safeParse(env);
  if (!parsed.success) throw new Error(`invalid metrics settings: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return { intervalSeconds: parsed.data.PORTOLAN_METRICS_INTERVAL, allDetail: parsed.data.PORTOLAN_METRICS_DETAIL === "all" };
}
