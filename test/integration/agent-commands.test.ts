import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Server } from "socket.io";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgent, type RunningAgent } from "../../agents/host/agent";
import { loadOrCreateIdentity } from "../../agents/host/identity";
import { createLogger } from "../../agents/host/log";
import type { ContainerRuntime } from "../../agents/host/runtime/container-runtime";
import { createDockerRuntime } from "../../agents/host/runtime/docker-runtime";
import { AGENT_NAMESPACE, commandPayload, type CommandEnvelope, type CommandReply, type SignedCommand } from "../../agents/protocol";
import { CommandService, type CommandActor } from "../../server/domain/commands/command-service";
import { createEnrollmentToken } from "../../server/domain/enrollment/create-enrollment-token";
import { attachAgentGateway, type AgentNamespace } from "../../server/realtime/agent-gateway";
import { docker } from "../support/docker-cli";
import { startProcess, type Managed } from "../support/processes";
import { RawAgent, keyPair } from "../support/raw-agent";
import { startTestAgent } from "../support/test-agent";
import { createTestServices, waitFor } from "../support/test-services";

const DOCKER_HOST = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
const RUN = `${process.pid}`;
const PREFIX = `portolan-cmd-${RUN}`;
const REPLY_TIMEOUT_MS = 3_000;
const actor: CommandActor = { id: "user-1", email: "ops@example.com", sourceIp: "127.0.0.1" };

type Env = Awaited<ReturnType<typeof createTestServices>>;
let services: Env;
let commands: CommandService;
let io: Server;
let httpServer: http.Server;
let url: string;
let agent: RunningAgent;
let hostId: string;
const sent: SignedCommand[] = []; // every command:run the server emitted, in order

beforeAll(async () => {
  services = await createTestServices();
  commands = new CommandService({ db: services.db, serverKey: services.serverKey, log: services.log, replyTimeoutMs: REPLY_TIMEOUT_MS });
  // The agent gateway wired to our CommandService (attachRealtime builds the same for production).
  httpServer = http.createServer((_req, res) => res.writeHead(404).end());
  io = new Server(httpServer, { serveClient: false });
  const nsp = io.of(AGENT_NAMESPACE) as AgentNamespace;
  attachAgentGateway(nsp, { db: services.db, registry: services.registry, serverKey: services.serverKey, log: services.log, commands, dockerEvents: services.dockerEvents });
  nsp.on("connection", (socket) => socket.onAnyOutgoing((event: string, payload: SignedCommand) => event === "command:run" && sent.push(payload)));
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  ({ agent, hostId } = await startTestAgent({ services, serverUrl: url, hostName: "cmd-engine", dockerHost: DOCKER_HOST }));
  await waitFor(() => services.registry.get(hostId)?.online, "agent online");
});

afterAll(async () => {
  agent?.stop();
  const leftovers = (await docker(["ps", "-aq", "--filter", `label=portolan.cmdtest=${RUN}`]).catch(() => "")).split("\n").filter(Boolean);
  if (leftovers.length) await docker(["rm", "-f", ...leftovers]);
  void io?.close();
  httpServer?.closeAllConnections();
  await services?.cleanup();
});

/** A labelled busybox container; PID 1 `sleep` ignores SIGTERM, so stops rely on the timeout. */
async function container(suffix: string, opts: { start?: boolean; cmd?: string[] } = {}): Promise<{ id: string; name: string }> {
  const name = `${PREFIX}-${suffix}`;
  const args = ["--name", name, "--network", "none", "--label", "portolan.test=1", "--label", `portolan.cmdtest=${RUN}`, "local/busybox:latest", ...(opts.cmd ?? ["sleep", "300"])];
  const id = await docker([opts.start === false ? "create" : "run", ...(opts.start === false ? [] : ["-d"]), ...args]);
  return { id, name };
}

type State = { Status: string; Running: boolean; Paused: boolean; ExitCode: number; StartedAt: string; Pid: number };
const state = async (ref: string) => JSON.parse(await docker(["inspect", "--format", "{{json .State}}", ref])) as State;
const exists = (ref: string) => docker(["inspect", ref]).then(() => true, () => false);
const send = (action: Parameters<CommandService["send"]>[0]["action"], params: Record<string, unknown>, host = hostId) =>
  commands.send({ hostId: host, action, params, actor });
const auditOf = async (commandId: string) =>
  (await services.db.auditEvent.findMany({ orderBy: { id: "asc" } })).filter((e) => e.params?.includes(commandId)).map((e) => `${e.action} ${e.result}`);

describe("[COMMANDS][LIFECYCLE] every action changes the real container", () => {
  let target: { id: string; name: string };
  beforeAll(async () => {
    target = await container("life", { start: false });
  });

  it("start", async () => {
    const outcome = await send("start", { containerId: target.name });
    expect(outcome).toMatchObject({ status: "ok", data: null });
    expect(await state(target.id)).toMatchObject({ Status: "running", Running: true });
    const row = await commands.get(outcome.commandId);
    expect(row).toMatchObject({ status: "ok", hostId, action: "start", actorId: actor.id, result: { ok: true } });
    expect(row.settledAt).toBeInstanceOf(Date);
    expect(await auditOf(outcome.commandId)).toEqual(["container.start requested", "container.start ok"]);
  });

  it("pause and unpause", async () => {
    expect(await send("pause", { containerId: target.id })).toMatchObject({ status: "ok" });
    expect(await state(target.id)).toMatchObject({ Status: "paused", Paused: true });
    expect(await send("unpause", { containerId: target.id.slice(0, 12) })).toMatchObject({ status: "ok" });
    expect(await state(target.id)).toMatchObject({ Status: "running", Paused: false });
  });

  it("stop with a timeout, then stopping again keeps Docker's words", async () => {
    expect(await send("stop", { containerId: target.name, timeout: 1 })).toMatchObject({ status: "ok" });
    expect(await state(target.id)).toMatchObject({ Status: "exited", Running: false });
    const again = await send("stop", { containerId: target.name });
    expect(again).toMatchObject({ status: "error", error: { code: "NOT_MODIFIED", message: "container already stopped" } });
    expect(await commands.get(again.commandId)).toMatchObject({ status: "error" });
    expect(await auditOf(again.commandId)).toEqual(["container.stop requested", "container.stop error: NOT_MODIFIED"]);
  });

  it("restart starts it afresh", async () => {
    await docker(["start", target.id]);
    const before = await state(target.id);
    expect(await send("restart", { containerId: target.name, timeout: 0 })).toMatchObject({ status: "ok" });
    const after = await state(target.id);
    expect(after).toMatchObject({ Status: "running" });
    expect(Date.parse(after.StartedAt)).toBeGreaterThan(Date.parse(before.StartedAt));
    expect(after.Pid).not.toBe(before.Pid);
  });

  it("kill delivers the chosen signal", async () => {
    const trapper = await container("trap", { cmd: ["sh", "-c", "trap 'exit 42' USR1; while true; do sleep 0.1; done"] });
    expect(await send("kill", { containerId: trapper.name, signal: "SIGUSR1" })).toMatchObject({ status: "ok" });
    await waitFor(async () => (await state(trapper.id)).Status === "exited", "trap exit");
    expect((await state(trapper.id)).ExitCode).toBe(42);
    expect(await send("kill", { containerId: target.name, signal: "SIGKILL" })).toMatchObject({ status: "ok" });
    await waitFor(async () => (await state(target.id)).Status === "exited", "killed");
    expect((await state(target.id)).ExitCode).toBe(137);
  });

  it("rename", async () => {
    await docker(["start", target.id]);
    const name = `${PREFIX}-renamed`;
    expect(await send("rename", { containerId: target.id, name })).toMatchObject({ status: "ok" });
    expect(await docker(["inspect", "--format", "{{.Name}}", target.id])).toBe(`/${name}`);
    expect(await exists(target.name)).toBe(false);
    target = { id: target.id, name };
  });

  it("remove refuses a running container without force (Docker's text), removes it with force", async () => {
    const refused = await send("remove", { containerId: target.name });
    expect(refused).toMatchObject({ status: "error", error: { code: "CONFLICT" } });
    if (refused.status === "error") expect(refused.error.message).toMatch(/running.*(stop|force)/i);
    expect(await state(target.id)).toMatchObject({ Running: true });
    expect(await send("remove", { containerId: target.name, force: true, volumes: true })).toMatchObject({ status: "ok" });
    expect(await exists(target.id)).toBe(false);
  });

  it("names a missing container plainly", async () => {
    const outcome = await send("start", { containerId: `${PREFIX}-missing` });
    expect(outcome).toMatchObject({ status: "error", error: { code: "NO_SUCH_CONTAINER", message: `no such container: ${PREFIX}-missing` } });
  });

  it("refuses bad params before anything is stored or sent", async () => {
    const before = sent.length;
    await expect(send("rename", { containerId: "../x", name: "y" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(send("kill", { containerId: "web", signal: "SIGSEGV" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(sent.length).toBe(before);
  });
});

describe("[COMMANDS][FORGED] the agent refuses what the server did not sign for it", () => {
  let victim: { id: string; name: string };
  let agentSocket: () => { timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<CommandReply> } };
  beforeAll(async () => {
    victim = await container("victim");
    agentSocket = () => [...io.of(AGENT_NAMESPACE).sockets.values()].find((s) => s.data.hostId === hostId) as never;
  });
  const inject = (payload: unknown) => agentSocket().timeout(5_000).emitWithAck("command:run", payload);
  const envelope = (over: Partial<CommandEnvelope> = {}): CommandEnvelope => ({
    commandId: `forged-${Math.random().toString(36).slice(2, 12)}`,
    hostId,
    action: "kill",
    params: { containerId: victim.id, signal: "SIGKILL" },
    actorId: null,
    issuedAt: Date.now(),
    expiresAt: Date.now() + 60_000,
    ...over,
  });
  const signed = (e: CommandEnvelope): SignedCommand => ({ envelope: e, signature: services.serverKey.sign(commandPayload(e)) });
  const foreignKey = keyPair().privateKey;

  it.each<[string, () => unknown, string]>([
    ["unsigned", () => ({ envelope: envelope() }), "BAD_COMMAND"],
    ["signed by another key", () => {
      const e = envelope();
      return { envelope: e, signature: crypto.sign(null, Buffer.from(commandPayload(e)), foreignKey).toString("base64") };
    }, "BAD_SIGNATURE"],
    ["re-targeted after signing", () => {
      const s = signed(envelope({ params: { containerId: `${PREFIX}-nonexistent`, signal: "SIGKILL" } }));
      return { ...s, envelope: { ...s.envelope, params: { containerId: victim.id, signal: "SIGKILL" } } };
    }, "BAD_SIGNATURE"],
    ["expired", () => signed(envelope({ issuedAt: Date.now() - 200_000, expiresAt: Date.now() - 140_000 })), "EXPIRED"],
    ["issued in the future", () => signed(envelope({ issuedAt: Date.now() + 120_000, expiresAt: Date.now() + 180_000 })), "NOT_YET_VALID"],
    ["for another host", () => signed(envelope({ hostId: "some-other-host" })), "WRONG_HOST"],
  ])("%s", async (_, make, code) => {
    const before = await state(victim.id);
    expect(await inject(make())).toMatchObject({ ok: false, error: { code } });
    expect(await state(victim.id)).toEqual(before);
  });

  it("replayed: a command that ran once is refused the second time", async () => {
    const paused = await send("pause", { containerId: victim.name });
    expect(paused.status).toBe("ok");
    const original = sent.find((s) => s.envelope.commandId === paused.commandId)!;
    expect(await send("unpause", { containerId: victim.name })).toMatchObject({ status: "ok" });
    const before = await state(victim.id);
    expect(await inject(original)).toMatchObject({ ok: false, error: { code: "REPLAYED" } });
    expect(await state(victim.id)).toEqual(before);
    expect(before).toMatchObject({ Status: "running", Paused: false });
  });
});

/** Stops the in-process agent and starts it again from its state directory, as after a crash. */
async function restartAgent(runtime: ContainerRuntime): Promise<void> {
  agent.stop();
  await waitFor(() => !services.registry.get(hostId)?.online, "host offline");
  const stateDir = path.join(services.dir, "agent");
  const onFatal = (m: string) => {
    throw new Error(m);
  };
  const config = { serverUrl: url, enrollToken: undefined, stateDir, dockerHost: DOCKER_HOST, logLevel: "error" as const };
  agent = await startAgent({ config, identity: await loadOrCreateIdentity(stateDir), runtime, log: createLogger("error"), onFatal });
  await waitFor(() => services.registry.get(hostId)?.online, "host online again");
}

describe("[COMMANDS][FAULTS] exactly once when the link fails", () => {
  it("agent gone between send and reply: unknown, then settled by the restarted agent's report; ran once", async () => {
    const target = await container("fault");
    const newName = `${PREFIX}-once`;
    // This agent dies right after Docker did the work: the outcome gets recorded, no reply leaves.
    const real = createDockerRuntime(DOCKER_HOST);
    await restartAgent({
      ...real,
      runLifecycle: async (command) => {
        await real.runLifecycle(command);
        agent.stop();
      },
    });
    const outcome = await send("rename", { containerId: target.id, name: newName });
    expect(outcome).toMatchObject({ status: "unknown", message: expect.stringMatching(/link to the agent dropped before its reply; the outcome will be settled when the agent reports it/) });
    expect(await commands.get(outcome.commandId)).toMatchObject({ status: "unknown", settledAt: null });

    const record = path.join(services.dir, "agent", "recent-commands.json");
    const onDisk = () => (JSON.parse(fs.readFileSync(record, "utf8")) as { entries: { commandId: string; reply: unknown }[] }).entries.find((e) => e.commandId === outcome.commandId);
    await waitFor(() => onDisk()?.reply, "outcome on disk");
    expect(onDisk()!.reply).toEqual({ ok: true, data: null });

    await restartAgent(createDockerRuntime(DOCKER_HOST));
    await waitFor(async () => (await commands.get(outcome.commandId)).status === "ok", "settled by the agent's report");
    expect(await commands.get(outcome.commandId)).toMatchObject({ status: "ok", result: { ok: true } });

    expect(sent.filter((s) => s.envelope.commandId === outcome.commandId)).toHaveLength(1); // never resent
    expect((await docker(["ps", "-aq", "--no-trunc", "--filter", `name=^/${newName}$`])).split("\n")).toEqual([target.id]);
    expect(await exists(target.name)).toBe(false);
    expect(await auditOf(outcome.commandId)).toEqual(["container.rename requested", "container.rename unknown", "container.rename ok"]);
  });

  it("agent process SIGKILLed while Docker works: reported as interrupted after restart, never run again", async () => {
    const target = await container("slow"); // PID 1 sleep ignores SIGTERM: the stop takes its full timeout
    const stateDir = path.join(services.dir, "agent-proc");
    const { token } = await createEnrollmentToken(services.db, { hostName: "proc-engine", createdById: null });
    const env = { PORTOLAN_URL: url, PORTOLAN_STATE_DIR: stateDir, DOCKER_HOST, PORTOLAN_AGENT_LOG: "info" };
    const spawnAgent = (extra: Record<string, string> = {}): Managed =>
      startProcess("node_modules/.bin/tsx", ["agents/host/main.ts"], { env: { ...env, ...extra }, log: path.join(services.dir, "agent-proc.log") });
    let proc = spawnAgent({ PORTOLAN_ENROLL_TOKEN: token });
    try {
      const host = await waitFor(() => services.db.host.findFirst({ where: { name: "proc-engine" } }), "process agent enrolled", 30_000);
      await waitFor(() => services.registry.get(host.id)?.online, "process agent online", 30_000);
      const pending = send("stop", { containerId: target.id, timeout: 5 }, host.id);
      const record = path.join(stateDir, "recent-commands.json");
      const claimed = await waitFor(() => {
        const id = sent.at(-1)?.envelope.commandId;
        return id && fs.existsSync(record) && fs.readFileSync(record, "utf8").includes(id) ? id : null;
      }, "command claimed on disk");
      process.kill(-proc.child.pid!, "SIGKILL");
      const outcome = await pending;
      expect(outcome).toMatchObject({ status: "unknown", commandId: claimed });

      proc = spawnAgent();
      const noted = async () => {
        const { result } = await commands.get(claimed);
        return result && !result.ok && result.error.code === "INTERRUPTED";
      };
      await waitFor(noted, "interrupted note", 30_000);
      expect(await commands.get(claimed)).toMatchObject({ status: "unknown", settledAt: null, result: { error: { code: "INTERRUPTED" } } });
      expect(sent.filter((s) => s.envelope.commandId === claimed)).toHaveLength(1);
      const log = fs.readFileSync(path.join(services.dir, "agent-proc.log"), "utf8");
      expect(log.split("\n").filter((l) => l.includes('"msg":"connected"'))).toHaveLength(2); // both processes spoke
      expect(log.split("\n").filter((l) => l.includes('"msg":"ran a command"') && l.includes(claimed))).toEqual([]); // killed mid-run, never rerun
    } finally {
      await proc.stop();
    }
  });

  describe("with a hand-driven agent", () => {
    let raw: RawAgent;
    let rawHost: string;
    const keys = keyPair();
    const received: SignedCommand[] = [];
    beforeAll(async () => {
      raw = new RawAgent(url, keys);
      raw.socket.on("command:run", (cmd: SignedCommand) => received.push(cmd)); // never acks
      const ack = await raw.enroll((await createEnrollmentToken(services.db, { hostName: "silent", createdById: null })).token);
      if (!ack.ok) throw new Error(ack.error.message);
      rawHost = ack.data.hostId;
    });
    afterAll(() => raw?.close());

    it("no reply: unknown after the timeout with a clear message, settled by the agent's report later", async () => {
      const started = Date.now();
      const outcome = await send("start", { containerId: "web" }, rawHost);
      expect(Date.now() - started).toBeGreaterThanOrEqual(REPLY_TIMEOUT_MS - 100);
      expect(outcome).toEqual({
        status: "unknown",
        commandId: outcome.commandId,
        message: "no reply from agent within 3 s; the outcome will be settled when the agent reports it",
      });
      expect(received.map((c) => c.envelope.commandId)).toEqual([outcome.commandId]);
      const report = { forgottenBefore: 0, outcomes: [{ commandId: outcome.commandId, reply: { ok: false, error: { code: "NO_SUCH_CONTAINER", message: "no such container: web" } } }] };
      expect(await raw.send("command:outcomes", report)).toEqual({ ok: true, data: null });
      expect(await commands.get(outcome.commandId)).toMatchObject({ status: "error", result: { error: { code: "NO_SUCH_CONTAINER" } } });
    });

    it("a late reply settles the command", async () => {
      raw.socket.once("command:run", (_cmd: unknown, ack: (r: CommandReply) => void) => setTimeout(() => ack({ ok: true, data: null }), REPLY_TIMEOUT_MS + 300));
      const outcome = await send("pause", { containerId: "web" }, rawHost);
      expect(outcome.status).toBe("unknown");
      await waitFor(async () => (await commands.get(outcome.commandId)).status === "ok", "late reply settles");
    });

    it("an agent settles only its own host's commands; expired unseen ones become expired", async () => {
      const base = { action: "start", params: JSON.stringify({ containerId: "web" }), actorId: null, status: "unknown", issuedAt: new Date(Date.now() - 600_000) };
      await services.db.command.create({ data: { ...base, id: "other-host-cmd", hostId, expiresAt: new Date(Date.now() + 60_000) } });
      await services.db.command.create({ data: { ...base, id: "unseen-cmd-1", hostId: rawHost, expiresAt: new Date(Date.now() - 120_000) } });
      const ack = await raw.send("command:outcomes", { forgottenBefore: 0, outcomes: [{ commandId: "other-host-cmd", reply: { ok: true, data: null } }] });
      expect(ack).toEqual({ ok: true, data: null });
      expect(await commands.get("other-host-cmd")).toMatchObject({ status: "unknown" });
      expect(await commands.get("unseen-cmd-1")).toMatchObject({ status: "expired", result: { error: { code: "EXPIRED" } } });
    });

    it("host offline: refused at once with HOST_OFFLINE, and not delivered when it returns", async () => {
      raw.close();
      await waitFor(() => services.registry.get(rawHost)?.online === false, "raw host offline");
      const count = received.length;
      const started = Date.now();
      const outcome = await send("stop", { containerId: "web" }, rawHost);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(outcome).toMatchObject({ status: "error", error: { code: "HOST_OFFLINE", message: expect.stringMatching(/not connected.*not sent/) } });
      expect(await commands.get(outcome.commandId)).toMatchObject({ status: "error" });
      expect(await auditOf(outcome.commandId)).toEqual(["container.stop error: HOST_OFFLINE"]);

      const back = new RawAgent(url, keys);
      back.socket.on("command:run", (cmd: SignedCommand) => received.push(cmd));
      expect((await back.login()).ok).toBe(true);
      await back.send("command:outcomes", { forgottenBefore: 0, outcomes: [] }); // a round trip after authentication
      expect(received.length).toBe(count);
      back.close();
    });
  });

  it("an audit log that cannot be written refuses the command: nothing is stored or sent", async () => {
    const target = await container("audit");
    const broken = new CommandService({
      db: services.db,
      serverKey: services.serverKey,
      log: services.log,
      links: commands.links,
      audit: async () => {
        throw new Error("disk full");
      },
    });
    const before = { sent: sent.length, rows: await services.db.command.count(), state: await state(target.id) };
    await expect(broken.send({ hostId, action: "kill", params: { containerId: target.id }, actor })).rejects.toMatchObject({
      code: "INTERNAL",
      message: expect.stringMatching(/audit log could not be written/),
    });
    expect(sent.length).toBe(before.sent);
    expect(await services.db.command.count()).toBe(before.rows);
    expect(await state(target.id)).toEqual(before.state);
  });
});
