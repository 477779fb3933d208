import type { AgentFeature } from "./agent-feature";
import type { AgentConfig } from "./config";
import type { Logger } from "./log";
import { logsFeature } from "./logs/logs-feature";
import { metricsFeature } from "./metrics/metrics-feature";
import { terminalFeature } from "./terminal/terminal-feature";

/** Every live feature of the agent, started by startAgent. One line per feature. */
export function agentFeatures(deps: { config: AgentConfig; log: Logger }): AgentFeature[] {
  void deps;
  return [
    logsFeature(),
    metricsFeature(),
    terminalFeature(deps),
  ];
}
