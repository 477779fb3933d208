import fs from "node:fs";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../server/auth/create-user";
import { createEnrollmentToken } from "../../server/domain/enrollment/create-enrollment-token";
import type { Presence } from "../../server/domain/hosts/presence";
import { createCaller } from "../../server/trpc/router";
import { actorFor } from "../support/actors";
import { docker } from "../support/docker-cli";
import { createNetnsLink, removeStaleNetns, type NetnsLink } from "../support/netns";
import type { Managed } from "../support/processes";
import { createTestServices, startRealtimeServer, waitFor } from "../support/test-services";

// Three real agent processes, each in a network namespace this test made, reach one server through
// loopback forwarders. Their links are cut together (packets dropped inside the namespace: the TCP
// connections half-open, nothing is reset) and restored after 30 s, 2 min and 10 min.
// Everything is asserted through the real API (tRPC callers, the /live socket a browser uses).

const REPO = path.resolve(import.meta.dirname, "..", "..");
const TSX = path.join(REPO, "node_modules", ".bin", "tsx");
const DOCKER_HOST = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
const IMAGE = "local/busybox:latest";
const AGENT_TIMEOUT_S = 10; // stale after 5 s of silence, offline (socket dropped) after 10 s
const RUN = `netcut-${process.pid}`;
const CUTS = [
  { label: "30s", ms: 30_000 },
  { label: "2min", ms: 120_000 },
  { label: "10min", ms: 600_000 },
];
const ADMIN = { email: "admin@netcut.test", password: "correct-horse-battery" };

type Env = Awaited<ReturnType<typeof createTestServices>>;
type Site = { label: string; ms: number; link: NetnsLink; agent: Managed; hostId: string; log: string };
let services: Env;
let server: Awaited<ReturnType<typeof startRealtimeServer>>;
let caller: ReturnType<typeof createCaller>;
let live: Socket | undefined;
const sites: Site[] = [];

beforeAll(async () => {
  await removeStaleNetns();
  services = await createTestServices({ PORTOLAN_AGENT_TIMEOUT: String(AGENT_TIMEOUT_S) });
  server = await startRealtimeServer(services);
  const admin = await createUser(services, { ...ADMIN, grantOnAllHosts: "admin" });
  caller = createCaller({ services, actor: await actorFor(services, admin), sourceIp: "127.0.0.1", requestOrigin: server.url });
  const serverPort = Number(new URL(server.url).port);
  for (const [i, cut] of CUTS.entries()) {
    const link = await createNetnsLink({ name: `pt-nc${i}-${process.pid}`, targetPort: serverPort, dir: services.dir });
    const hostName = `netcut-${cut.label}`;
    const { token } = await createEnrollmentToken(services.db, { hostName, createdById: admin.id });
    const log = path.join(services.dir, `agent-${cut.label}.log`);
    const agent = link.start(TSX, [path.join(REPO, "agents/host/main.ts")], {
      cwd: REPO,
      log,
      env: { PORTOLAN_URL: link.url, PORTOLAN_ENROLL_TOKEN: token, PORTOLAN_STATE_DIR: path.join(services.dir, `state-${cut.label}`), DOCKER_HOST, PORTOLAN_AGENT_LOG: "info" },
    });
    sites.push({ ...cut, link, agent, hostId: "", log });
  }
  for (const site of sites) {
    const host = await waitFor(() => services.db.host.findFirst({ where: { name: `netcut-${site.label}` } }), `${site.label} agent enrolled`, 60_000);
    site.hostId = host.id;
  }
}, 180_000);

afterAll(async () => {
  live?.disconnect();
  for (const site of sites) await site.link.close().catch(() => undefined);
  const ids = (await docker(["ps", "-aq", "--filter", `label=portolan.run=${RUN}`]).catch(() => "")).split("\n").filter(Boolean);
  if (ids.length) await docker(["rm", "-f", ...ids]).catch(() => undefined);
  await server?.close();
  await services?.cleanup();
});

/** Presence of every host as the API shows it, sampled every 200 ms: the changes, with when they were seen. */
function recordPresence() {
  const changes = new Map<string, { presence: Presence; at: number; lastSeenAt: string | null }[]>();
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const now = Date.now();
      for (const h of await caller.hosts.list()) {
        const list = changes.get(h.id) ?? [];
        if (list[list.length - 1]?.presence !== h.presence) list.push({ presence: h.presence, at: now, lastSeenAt: h.lastSeenAt });
        changes.set(h.id, list);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    since: (hostId: string, t: number) => (changes.get(hostId) ?? []).filter((c) => c.at >= t),
    current: (hostId: string) => changes.get(hostId)?.at(-1)?.presence,
    async stop() {
      stopped = true;
      await done;
    },
  };
}

const containerNames = async (hostId: string) => (await caller.containers.list({ hostId })).map((c) => c.name);
const tail = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").slice(-15).join("\n") : "(no log)");

describe("[FAULTS][NETCUT] link cut inside a network namespace for 30 s, 2 min and 10 min", () => {
  it("shows each host online -> stale -> offline with last seen at the cut, and resyncs cleanly after", async () => {
    const presence = recordPresence();
    try {
      await waitFor(async () => (await caller.hosts.list()).filter((h) => h.presence === "online").length === 3, "three hosts online", 60_000);

      // What a browser on the fleet page hears: presence nudges on the /live socket.
      const signIn = await services.auth.api.signInEmail({ body: ADMIN, asResponse: true });
      const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0]!;
      live = io(server.url + "/live", { transports: ["websocket"], forceNew: true, extraHeaders: { cookie, origin: server.url } });
      const nudges: { hostId: string; presence: Presence; at: number }[] = [];
      live.on("fleet:changed", (changes: { hostId: string; kinds: string[] }[]) => {
        for (const c of changes) if (c.kinds.includes("presence")) nudges.push({ hostId: c.hostId, presence: services.registry.presence(c.hostId), at: Date.now() });
      });
      await new Promise<void>((resolve, reject) => live!.emit("fleet:subscribe", {}, (r: { ok: boolean }) => (r.ok ? resolve() : reject(new Error("fleet:subscribe refused")))));

      const doomed = `pt-${RUN}-removed-during-cut`;
      const born = `pt-${RUN}-created-during-cut`;
      await docker(["run", "-d", "--name", doomed, "--label", "portolan.test=1", "--label", `portolan.run=${RUN}`, IMAGE, "sleep", "3600"]);
      for (const site of sites) await waitFor(async () => (await containerNames(site.hostId)).includes(doomed), `${site.label} sees ${doomed}`, 30_000);
      const hostIds = (await caller.hosts.list()).map((h) => h.id).sort();

      const cutAt = Date.now();
      await Promise.all(sites.map((s) => s.link.cut()));

      for (const site of sites) {
        await waitFor(() => presence.current(site.hostId) === "offline", `${site.label} shown offline`, (AGENT_TIMEOUT_S + 10) * 1000);
      }
      const offlineBy = Date.now() - cutAt;
      for (const site of sites) {
        const seen = presence.since(site.hostId, cutAt);
        expect(seen.map((c) => c.presence), site.label).toEqual(["stale", "offline"]);
        const stale = seen[0]!;
        const offline = seen[1]!;
        // Stale once half the timeout passed in silence; offline once the heartbeat timeout dropped the socket.
        expect(stale.at - cutAt, `${site.label} stale after`).toBeGreaterThanOrEqual((AGENT_TIMEOUT_S / 2) * 1000 - 2_000);
        expect(offline.at - cutAt, `${site.label} offline after`).toBeLessThanOrEqual((AGENT_TIMEOUT_S + 5) * 1000);
        // Last seen is when the link went quiet, not when the server noticed.
        const lastSeen = Date.parse(offline.lastSeenAt ?? "");
        expect(Math.abs(lastSeen - cutAt), `${site.label} last seen vs cut`).toBeLessThan(3_000);
        const got = await caller.hosts.get({ hostId: site.hostId });
        expect(got).toMatchObject({ online: false, presence: "offline", lastSeenAt: offline.lastSeenAt });
        // The fleet page was told both times, without a reload.
        const told = () => nudges.filter((n) => n.hostId === site.hostId && n.at >= cutAt).map((n) => n.presence);
        await waitFor(() => told().includes("stale") && told().includes("offline"), `${site.label} presence nudges (got ${told().join(", ")})`, 3_000);
      }

      // The engine changes while nobody can report it.
      await docker(["rm", "-f", doomed]);
      await docker(["run", "-d", "--name", born, "--label", "portolan.test=1", "--label", `portolan.run=${RUN}`, IMAGE, "sleep", "3600"]);

      const reconnects: Record<string, number> = {};
      for (const site of sites) {
        const wait = cutAt + site.ms - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        for (const other of sites.filter((s) => s.ms > site.ms)) {
          expect(presence.current(other.hostId), `${other.label} still cut`).toBe("offline");
        }
        const restoredAt = Date.now();
        await site.link.restore();
        await waitFor(() => presence.current(site.hostId) === "online", `${site.label} back online`, 60_000).catch((err: Error) => {
          throw new Error(`${err.message}\nagent log:\n${tail(site.log)}`);
        });
        reconnects[site.label] = Date.now() - restoredAt;
        // Resynced: the snapshot shows what changed during the cut.
        await waitFor(async () => {
          const names = await containerNames(site.hostId);
          return names.includes(born) && !names.includes(doomed);
        }, `${site.label} inventory resynced`, 15_000);
        // One host per agent, the same ones as before the cut; the agent process never restarted.
        const hosts = await caller.hosts.list();
        expect(hosts.map((h) => h.id).sort()).toEqual(hostIds);
        expect(await services.db.host.count()).toBe(3);
        expect(site.agent.child.exitCode, `${site.label} agent still running`).toBeNull();
        // Between the cut and the restore the host never flapped.
        expect(presence.since(site.hostId, cutAt).map((c) => c.presence)).toEqual(["stale", "offline", "online"]);
      }
      console.info(`[netcut] all offline ${offlineBy} ms after the cut; reconnect after restore (ms): ${JSON.stringify(reconnects)}`);
      // A link back for a few seconds must bring the host back within seconds, however long the cut.
      for (const [label, ms] of Object.entries(reconnects)) expect(ms, `${label} reconnect`).toBeLessThan(20_000);
    } finally {
      await presence.stop();
    }
  });
});
