import { TRPCError } from "@trpc/server";
import { createUser } from "../../server/auth/create-user";
import type { Actor } from "../../server/auth/resolve-actor";
import { createCaller } from "../../server/trpc/router";
import { actorFor } from "./actors";
import { docker } from "./docker-cli";
import { restartTestAgent, startTestAgent } from "./test-agent";
import { createTestServices, startRealtimeServer, waitFor } from "./test-services";

export const DOCKER_HOST = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
const PASSWORD = "correct-horse-battery";

export type ControlEnv = Awaited<ReturnType<typeof startControlEnv>>;

/**
 * Real services, the real socket.io gateways and the real agent on the local engine, plus callers for
 * an admin, an operator and a viewer on all hosts. Everything the tests create carries `portolan.test=1`
 * and the run's own label, and is removed by stop().
 */
export async function startControlEnv(name: string) {
  const run = `${name}-${process.pid}`;
  const services = await createTestServices();
  const server = await startRealtimeServer(services);
  let { agent, hostId } = await startTestAgent({ services, serverUrl: server.url, hostName: `${name}-engine`, dockerHost: DOCKER_HOST });
  await waitFor(() => services.registry.get(hostId)?.online, "agent online");
  const actors: Record<"admin" | "operator" | "viewer", Actor> = {} as never;
  for (const role of ["admin", "operator", "viewer"] as const) {
    actors[role] = await actorFor(services, await createUser(services, { email: `${role}@${name}.test`, password: PASSWORD, grantOnAllHosts: role }));
  }
  const as = (role: keyof typeof actors) => createCaller({ services, actor: actors[role], sourceIp: "127.0.0.1", requestOrigin: "http://127.0.0.1" });
  const labels = { "portolan.test": "1", "portolan.run": run };
  return {
    services,
    server,
    hostId,
    run,
    labels,
    as,
    /** The agent running now (restartAgent replaces it). */
    get agent() {
      return agent;
    },
    /** Stops the agent and starts it again from its enrollment (as after a crash or upgrade). */
    async restartAgent(opts: { downMs?: number } = {}) {
      agent.stop();
      await waitFor(() => !services.registry.get(hostId)?.online, "agent offline");
      if (opts.downMs) await new Promise((r) => setTimeout(r, opts.downMs));
      agent = await restartTestAgent({ services, dockerHost: DOCKER_HOST });
      await waitFor(() => services.registry.get(hostId)?.online, "agent back online");
    },
    /** A name unique to this run. */
    name: (suffix: string) => `pt-${run}-${suffix}`,
    async stop() {
      agent.stop();
      const filter = ["--filter", `label=portolan.run=${run}`];
      const ids = (cmd: string[]) => docker([...cmd, "-q", ...filter]).then((o) => o.split("\n").filter(Boolean), () => []);
      const containers = await ids(["ps", "-a"]);
      if (containers.length) await docker(["rm", "-f", ...containers]).catch(() => undefined);
      const volumes = await ids(["volume", "ls"]);
      if (volumes.length) await docker(["volume", "rm", "-f", ...volumes]).catch(() => undefined);
      const networks = await ids(["network", "ls"]);
      if (networks.length) await docker(["network", "rm", ...networks]).catch(() => undefined);
      await server.close();
      await services.cleanup();
    },
  };
}

/** The tRPC error a call failed with (the test fails if it succeeded). */
export async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TRPCError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error("expected the call to fail");
}
