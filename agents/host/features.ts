import type { AgentFeature } from "./agent-feature";
import type { AgentConfig } from "./config";
import type { Logger } from "./log";

/** Every live feature of the agent, started by startAgent. One line per feature. */
export function agentFeatures(deps: { config: AgentConfig; log: Logger }): AgentFeature[] {
  void deps;
  return [];
}
