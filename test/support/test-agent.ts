import path from "node:path";
import { startAgent, type RunningAgent } from "../../agents/host/agent";
import type { AgentFeature } from "../../agents/host/agent-feature";
import { loadOrCreateIdentity } from "../../agents/host/identity";
import { createLogger } from "../../agents/host/log";
import { createDockerRuntime } from "../../agents/host/runtime/docker-runtime";
import { createEnrollmentToken } from "../../server/domain/enrollment/create-enrollment-token";
import type { Services } from "../../server/services";
import { waitFor } from "./test-services";

/** Enrolls and starts the real agent (in-process) against one Docker engine; resolves once enrolled. */
export async function startTestAgent(opts: {
  services: Services & { dir: string };
  serverUrl: string;
  hostName: string;
  dockerHost: string;
  features?: AgentFeature[];
  /** Default: <services.dir>/agent (one agent per services; name another for a second host). */
  stateDir?: string;
}): Promise<{ agent: RunningAgent; hostId: string }> {
  const { services } = opts;
  const { token } = await createEnrollmentToken(services.db, { hostName: opts.hostName, createdById: null });
  const stateDir = opts.stateDir ?? path.join(services.dir, "agent");
  const agent = await launch({ serverUrl: opts.serverUrl, enrollToken: token, stateDir, dockerHost: opts.dockerHost }, opts.features);
  const host = await waitFor(() => services.db.host.findFirst({ where: { name: opts.hostName } }), "enrolled host");
  return { agent, hostId: host.id };
}

/** Starts the agent again from the state an earlier startTestAgent left (enrolled: no token). */
export function restartTestAgent(opts: { services: Services & { dir: string }; dockerHost: string; features?: AgentFeature[] }): Promise<RunningAgent> {
  return launch({ serverUrl: undefined, enrollToken: undefined, stateDir: path.join(opts.services.dir, "agent"), dockerHost: opts.dockerHost }, opts.features);
}

async function launch(config: { serverUrl: string | undefined; enrollToken: string | undefined; stateDir: string; dockerHost: string }, features?: AgentFeature[]): Promise<RunningAgent> {
  return startAgent({
    config: { ...config, logLevel: "error" },
    identity: await loadOrCreateIdentity(config.stateDir),
    runtime: createDockerRuntime(config.dockerHost),
    log: createLogger("error"),
    onFatal: (m) => {
      throw new Error(m);
    },
    features,
  });
}
