import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimAgent, type SimAgentEvents } from "../../bench/support/sim-agent";
import { simContainerId } from "../../bench/support/sim-agent-data";
import { createEnrollmentToken } from "../../server/domain/enrollment/create-enrollment-token";
import type { AcceptedTick } from "../../server/domain/metrics/metrics-hub";
import { metricsHub } from "../../server/domain/metrics/metrics-hub-registry";
import { createTestServices, startRealtimeServer, waitFor } from "../support/test-services";

// The load generator's simulated agents must speak the real protocol: the real gateways accept their
// enrollment, snapshot, metrics ticks (schema-checked on the server) and changes, and answer queries.
type Env = Awaited<ReturnType<typeof createTestServices>>;
let services: Env;
let server: Awaited<ReturnType<typeof startRealtimeServer>>;
const agents: SimAgent[] = [];
const log = { resynced: 0, dropped: [] as string[], errors: [] as string[], probes: [] as number[] };
const events: SimAgentEvents = {
  resynced: () => void log.resynced++,
  dropped: (_a, reason) => void log.dropped.push(reason),
  probeSent: (_a, seq) => void log.probes.push(seq),
  error: (_a, message) => void log.errors.push(message),
  sent: () => undefined,
};

beforeAll(async () => {
  services = await createTestServices();
  server = await startRealtimeServer(services);
  for (let index = 0; index < 3; index++) {
    const { token } = await createEnrollmentToken(services.db, { hostName: `sim-${String(index).padStart(5, "0")}`, createdById: null });
    agents.push(new SimAgent({ url: server.url, index, token, containers: 5, probe: index === 0, changeEverySeconds: 0, events }));
  }
  agents.forEach((a) => a.start());
});

afterAll(async () => {
  agents.forEach((a) => a.stop());
  await server?.close();
  await services?.cleanup();
});

describe("simulated agents against the real gateways", () => {
  it("enroll with their own keys and have their snapshots applied", async () => {
    await waitFor(() => log.resynced === 3, "three simulated agents resynced");
    const hosts = await services.db.host.findMany({ orderBy: { name: "asc" } });
    expect(hosts.map((h) => h.name)).toEqual(["sim-00000", "sim-00001", "sim-00002"]);
    expect(new Set(hosts.map((h) => h.publicKey)).size).toBe(3);
    for (const [i, h] of hosts.entries()) {
      const live = services.registry.get(h.id)!;
      expect(live.online).toBe(true);
      expect([...live.containers.keys()].sort()).toEqual(Array.from({ length: 5 }, (_, k) => simContainerId(i, k)).sort());
    }
  });

  it("send 1 Hz metrics ticks the server accepts, and probe changes it applies", async () => {
    const ticks: AcceptedTick[] = [];
    const hub = metricsHub(services);
    const onTick = (t: AcceptedTick) => void ticks.push(t);
    hub.on("tick", onTick);
    await waitFor(() => new Set(ticks.map((t) => t.hostId)).size === 3 && log.probes.length >= 2, "ticks from every agent and two probes", 10_000);
    hub.off("tick", onTick);
    expect(ticks.every((t) => t.containers.length === 5)).toBe(true);
    const probeHost = (await services.db.host.findFirstOrThrow({ where: { name: "sim-00000" } })).id;
    await waitFor(() => (services.registry.get(probeHost)?.containers.get(simContainerId(0, 0))?.restartCount ?? 0) >= 2, "the probe's change applied");
    expect(log.errors).toEqual([]);
  });

  it("answer queries through the real query channel", async () => {
    const hostId = (await services.db.host.findFirstOrThrow({ where: { name: "sim-00001" } })).id;
    const reply = await services.commands.links.query(hostId, { query: "container.inspect", params: { containerId: simContainerId(1, 2) } }, 5_000);
    expect(reply?.kind).toBe("reply");
    expect((reply as { reply: { ok: boolean; data: { id: string } } }).reply).toMatchObject({ ok: true, data: { id: simContainerId(1, 2) } });
  });

  it("come back by themselves after the server drops them, with the same key", async () => {
    const hostId = (await services.db.host.findFirstOrThrow({ where: { name: "sim-00002" } })).id;
    const before = log.resynced;
    services.commands.links.disconnect(hostId);
    await waitFor(() => log.resynced > before && services.registry.get(hostId)?.online, "the dropped agent to resync", 15_000);
    expect(log.dropped).toContain("io server disconnect");
    expect(await services.db.host.count()).toBe(3); // reconnected with its key, not enrolled again
  });
});
