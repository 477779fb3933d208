import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../server/auth/create-user";
import { createEnrollmentToken } from "../../server/domain/enrollment/create-enrollment-token";
import { createCaller } from "../../server/trpc/router";
import { actorFor } from "../support/actors";
import { docker } from "../support/docker-cli";
import { startProcess, type Managed } from "../support/processes";
import { startSecondEngine, type SecondEngine } from "../support/second-engine";
import { createTestServices, startRealtimeServer, waitFor } from "../support/test-services";

// A throw-away second engine (never the shared one) with the real agent as its own process. dockerd is
// stopped and started again on the same roots, the way a package upgrade or `systemctl restart docker`
// does, while the agent keeps running. Asserted through the tRPC API.

const REPO = path.resolve(import.meta.dirname, "..", "..");
const TSX = path.join(REPO, "node_modules", ".bin", "tsx");
const IMAGE = "local/busybox:latest";
// Exits on SIGTERM, so dockerd's shutdown does not wait out a stop timeout.
const WORKLOAD = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"];

type Env = Awaited<ReturnType<typeof createTestServices>>;
let services: Env;
let server: Awaited<ReturnType<typeof startRealtimeServer>>;
let engine: SecondEngine;
let agent: Managed;
let agentLog: string;
let hostId: string;
let caller: ReturnType<typeof createCaller>;

beforeAll(async () => {
  services = await createTestServices();
  server = await startRealtimeServer(services);
  const admin = await createUser(services, { email: "admin@engine-restart.test", password: "correct-horse-battery", grantOnAllHosts: "admin" });
  caller = createCaller({ services, actor: await actorFor(services, admin), sourceIp: "127.0.0.1", requestOrigin: server.url });
  // Short: the engine's sockets live below it (unix socket paths are limited to 107 bytes).
  engine = await startSecondEngine({ dir: fs.mkdtempSync("/tmp/pt-er.") });
  const { token } = await createEnrollmentToken(services.db, { hostName: "restarted-engine", createdById: admin.id });
  agentLog = path.join(services.dir, "agent.log");
  agent = startProcess(TSX, [path.join(REPO, "agents/host/main.ts")], {
    cwd: REPO,
    log: agentLog,
    env: { PORTOLAN_URL: server.url, PORTOLAN_ENROLL_TOKEN: token, PORTOLAN_STATE_DIR: path.join(services.dir, "agent"), DOCKER_HOST: engine.dockerHost, PORTOLAN_AGENT_LOG: "info" },
  });
  const host = await waitFor(() => services.db.host.findFirst({ where: { name: "restarted-engine" } }), "agent enrolled", 60_000);
  hostId = host.id;
}, 180_000);

afterAll(async () => {
  await agent?.stop();
  await engine?.stop();
  await server?.close();
  await services?.cleanup();
});

const names = async () => (await caller.containers.list({ hostId })).map((c) => `${c.name}:${c.state}`);
const tail = () => (fs.existsSync(agentLog) ? fs.readFileSync(agentLog, "utf8").split("\n").slice(-20).join("\n") : "(no log)");

describe("[FAULTS][ENGINE] Docker engine restarted under a running agent", () => {
  it("reports the runtime unavailable while dockerd is down and recovers without restarting the agent", async () => {
    const d = (args: string[]) => docker(args, engine.dockerHost);
    await waitFor(async () => (await caller.hosts.get({ hostId })).runtime?.available, "runtime available", 30_000);
    await d(["run", "-d", "--name", "keeper", "--restart", "always", "--network", "none", IMAGE, ...WORKLOAD]);
    await d(["run", "-d", "--name", "bystander", "--network", "none", IMAGE, ...WORKLOAD]);
    await waitFor(async () => (await names()).includes("keeper:running") && (await names()).includes("bystander:running"), "containers listed", 20_000);
    const pid = agent.child.pid;
    const connectedAt = services.registry.get(hostId)!.connectedAt;

    await engine.stopDaemon();
    const down = await waitFor(async () => {
      const host = await caller.hosts.get({ hostId });
      return host.runtime?.available === false ? host : null;
    }, "runtime unavailable reported", 30_000);
    expect(down.runtime!.error).toMatch(/Docker|socket|engine/i);
    expect(down).toMatchObject({ online: true, presence: "online" }); // the agent's own link is unaffected
    expect(await caller.containers.list({ hostId })).toEqual([]); // nothing is claimed while unknown

    const downSince = Date.now();
    await engine.startDaemon();
    const up = await waitFor(async () => {
      const host = await caller.hosts.get({ hostId });
      return host.runtime?.available ? host : null;
    }, "runtime recovered", 30_000).catch((err: Error) => {
      throw new Error(`${err.message}\nagent log:\n${tail()}`);
    });
    expect(up.facts?.dockerVersion).toBeTruthy();
    // The restart policy brought keeper back; bystander stayed stopped, as the engine says.
    await waitFor(async () => {
      const now = await names();
      return now.includes("keeper:running") && now.includes("bystander:exited");
    }, "containers listed again after the restart", 30_000);

    // Engine events flow again: a new container's lifecycle reaches the server's event history.
    await d(["run", "-d", "--name", "newcomer", "--network", "none", IMAGE, ...WORKLOAD]);
    await waitFor(async () => (await names()).includes("newcomer:running"), "new container listed", 15_000);
    await waitFor(async () => {
      const page = await caller.events.list({ hostId, type: "container", action: "start", since: new Date(downSince), limit: 100 });
      return page.items.some((e) => e.actorName === "newcomer");
    }, "newcomer's start event stored", 15_000);

    // A command works: stop bystander's sibling through the API, on the restarted engine.
    const newcomer = (await caller.containers.list({ hostId })).find((c) => c.name === "newcomer")!;
    const result = await caller.containers.action({ hostId, containerId: newcomer.id, action: "stop" });
    expect(result).toMatchObject({ ok: true, state: "exited" });
    expect((await d(["inspect", "-f", "{{.State.Status}}", "newcomer"])).trim()).toBe("exited");

    // Same agent process, same server connection: nothing reconnected.
    expect(agent.child.pid).toBe(pid);
    expect(agent.child.exitCode).toBeNull();
    expect(services.registry.get(hostId)!.connectedAt).toBe(connectedAt);
    expect(await services.db.auditEvent.count({ where: { hostId, action: { in: ["agent.connect", "agent.enroll"] } } })).toBe(1);
  });
});
