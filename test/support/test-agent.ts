import path from "node:path";
import { startAgent, type RunningAgent } from "../../agents/host/agent";
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
}): Promise<{ agent: RunningAgent; hostId: string }> {
  const { services } = opts;
  const { token } = await createEnrollmentToken(services.db, { hostName: opts.hostName, createdById: null });
  const stateDir = path.join(services.dir, "agent");
  const agent = await startAgent({
    config: { serverUrl: opts.serverUrl, enrollToken: token, stateDir, dockerHost: opts.dockerHost, logLevel: "error" },
    identity: await loadOrCreateIdentity(stateDir),
    runtime: createDockerRuntime(opts.dockerHost),
    log: createLogger("error"),
    onFatal: (m) => {
      throw new Error(m);
    },
  });
  const host = await waitFor(() => services.db.host.findFirst({ where: { name: opts.hostName } }), "enrolled host");
  return { agent, hostId: host.id };
}
