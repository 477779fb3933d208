import fs from "node:fs";
import path from "node:path";
import { AGENT_ENV, AGENT_NODE_FLAGS } from "../../agents/host/launch";
import { createUser } from "../../server/auth/create-user";
import { createEnrollmentToken } from "../../server/domain/enrollment/create-enrollment-token";
import { createCaller } from "../../server/trpc/router";
import { actorFor } from "../../test/support/actors";
import { startProcess } from "../../test/support/processes";
import { createTestServices, startRealtimeServer, waitFor } from "../../test/support/test-services";
import type { Cleanup } from "./benchmark";

const REPO = path.resolve(import.meta.dirname, "..", "..");
const BUNDLE = path.join(REPO, "dist", "portolan-agent.cjs");
const ADMIN = { email: "bench-admin@portolan.test", password: "bench-admin-password-42" };

export type AgentMode = "auto" | "tsx" | "bundle";
export type PortolanStack = Awaited<ReturnType<typeof startPortolanStack>>;

/**
 * A production-like Portolan without Next: the real services on a fresh SQLite file, the real socket.io
 * gateways on a loopback port, one admin (tRPC caller + browser session cookie) and the real agent as
 * its own process, enrolled with a one-time token against `dockerHost`. Every part is undone by cleanup.
 */
export async function startPortolanStack(opts: { cleanup: Cleanup; dockerHost: string; agent: AgentMode; /** "plain": `node bundle`, without agents/host/launch.ts settings (for comparison). */ launch?: "plain" }) {
  const services = await createTestServices();
  opts.cleanup.add("services", () => services.cleanup());
  const server = await startRealtimeServer(services);
  opts.cleanup.add("realtime server", () => server.close());

  const admin = await createUser(services, { ...ADMIN, grantOnAllHosts: "admin" });
  const caller = createCaller({ services, actor: await actorFor(services, admin), sourceIp: "127.0.0.1", requestOrigin: server.url });
  const signIn = await services.auth.api.signInEmail({ body: ADMIN, asResponse: true });
  const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0]!;
  if (!cookie.includes("=")) throw new Error(`admin sign-in gave no session cookie (HTTP ${signIn.status})`);

  const hostName = `bench-${process.pid}`;
  const { token } = await createEnrollmentToken(services.db, { hostName, createdById: admin.id });
  const agent = agentCommand(opts.agent, opts.launch === "plain");
  const agentLog = path.join(services.dir, "agent.log");
  const proc = startProcess(agent.command, agent.args, {
    cwd: REPO,
    log: agentLog,
    env: { ...(opts.launch === "plain" ? {} : AGENT_ENV), PORTOLAN_URL: server.url, PORTOLAN_ENROLL_TOKEN: token, PORTOLAN_STATE_DIR: path.join(services.dir, "agent"), DOCKER_HOST: opts.dockerHost, PORTOLAN_AGENT_LOG: "warn" },
  });
  opts.cleanup.add("agent process", () => proc.stop());
  const died = proc.exited.then((code) => {
    throw new Error(`agent exited (code ${code}) before it came online:\n${tail(agentLog)}`);
  });
  const hostId = await Promise.race([
    waitFor(async () => {
      const host = await services.db.host.findFirst({ where: { name: hostName } });
      return host && services.registry.get(host.id)?.online && services.registry.get(host.id)?.runtime?.available ? host.id : null;
    }, "the agent to enroll and report its engine", 60_000),
    died,
  ]);
  died.catch(() => undefined); // from here on an exit is the benchmark's own business
  return { services, server, caller, cookie, hostId, agent: { ...agent, log: agentLog, process: proc } };
}

/** The built single-file agent when it is newer than every agent source file, else the sources via tsx. */
function agentCommand(mode: AgentMode, plain = false): { mode: "tsx" | "bundle"; command: string; args: string[] } {
  const bundle = { mode: "bundle" as const, command: process.execPath, args: plain ? [BUNDLE] : [...AGENT_NODE_FLAGS, BUNDLE] };
  const tsx = { mode: "tsx" as const, command: path.join(REPO, "node_modules", ".bin", "tsx"), args: ["agents/host/main.ts"] };
  if (mode === "tsx") return tsx;
  if (mode === "bundle") {
    if (!fs.existsSync(BUNDLE)) throw new Error(`${BUNDLE} not found: run npm run build:agent, or use --agent tsx`);
    return bundle;
  }
  return fs.existsSync(BUNDLE) && fs.statSync(BUNDLE).mtimeMs > newestSource(path.join(REPO, "agents")) ? bundle : tsx;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").slice(-2000);
  } catch {
    return "(no agent log)";
  }
}
