import { describe, expect, it } from "vitest";
import { hostPresence, staleAfterMs, type PresencePolicy } from "../../server/domain/hosts/presence";
import { HostRegistry } from "../../server/realtime/host-registry";
import { PresenceSweep } from "../../server/realtime/presence-sweep";

const policy: PresencePolicy = { staleAfterMs: 10_000, expected: new Set(["back"]), graceUntil: 100_000 };

describe("hostPresence", () => {
  it.each([
    ["heard just now", { hostId: "h", online: true, lastHeardAt: 50_000 }, 50_000, "online"],
    ["heard exactly at the threshold", { hostId: "h", online: true, lastHeardAt: 40_000 }, 50_000, "online"],
    ["quiet past the threshold", { hostId: "h", online: true, lastHeardAt: 39_999 }, 50_000, "stale"],
    ["gone, not expected back", { hostId: "h", online: false, lastHeardAt: 49_000 }, 50_000, "offline"],
    ["gone, expected back within the grace", { hostId: "back", online: false, lastHeardAt: null }, 99_999, "reconnecting"],
    ["gone, grace over", { hostId: "back", online: false, lastHeardAt: null }, 100_000, "offline"],
    ["expected back and connected", { hostId: "back", online: true, lastHeardAt: 99_000 }, 99_500, "online"],
  ] as const)("%s", (_name, host, now, expected) => {
    expect(hostPresence(host, policy, now)).toBe(expected);
  });

  it("turns stale at half the heartbeat timeout", () => {
    expect(staleAfterMs(20)).toBe(10_000);
    expect(staleAfterMs(5)).toBe(2_500);
  });
});

describe("HostRegistry presence", () => {
  it("forgets the restart grace of a host once it is back", () => {
    const r = new HostRegistry({ staleAfterMs: 1_000 });
    r.expectReconnects(["h1", "h2"], 60_000);
    expect(r.presence("h1", 1_000)).toBe("reconnecting");
    r.connected("h1", 2_000);
    r.disconnected("h1", 3_000);
    expect(r.presence("h1", 3_000)).toBe("offline");
    expect(r.presence("h2", 3_000)).toBe("reconnecting");
    expect(r.presenceCandidates().sort()).toEqual(["h1", "h2"]);
  });
});

describe("PresenceSweep", () => {
  const log = { info() {}, warn() {}, error() {}, debug() {}, child() { return log; } } as never;
  const db = { host: { updateMany: async () => ({ count: 0 }), findMany: async () => [] } } as never;

  it("announces online -> stale -> online and reconnecting -> offline, each change once", () => {
    const r = new HostRegistry({ staleAfterMs: 1_000 });
    const sweep = new PresenceSweep({ db, registry: r, log, graceMs: 0, persistMs: 1e12, sweepMs: 5_000 });
    const changes: string[] = [];
    r.connected("h1", 0);
    r.expectReconnects(["h2"], 5_000);
    r.on("changed", (id, what) => changes.push(`${id}:${what}`));
    sweep.tick(500); // first look: nothing announced
    sweep.tick(1_000);
    expect(changes).toEqual([]);
    sweep.tick(1_001);
    expect(r.presence("h1", 1_001)).toBe("stale");
    sweep.tick(1_500);
    expect(changes).toEqual(["h1:presence"]);
    r.seen("h1", 1_600);
    sweep.tick(1_700);
    expect(changes).toEqual(["h1:presence", "h1:presence"]);
    r.seen("h1", 4_500);
    sweep.tick(5_000);
    expect(r.presence("h2", 5_000)).toBe("offline");
    expect(changes).toEqual(["h1:presence", "h1:presence", "h2:presence"]);
  });

  it("does not call hosts stale on the pass right after this process stalled", () => {
    const r = new HostRegistry({ staleAfterMs: 2_500 });
    const sweep = new PresenceSweep({ db, registry: r, log, graceMs: 0, persistMs: 1e12, sweepMs: 1_000 });
    const changes: string[] = [];
    r.connected("h1", 0);
    r.on("changed", (id) => changes.push(id));
    sweep.tick(1_000);
    sweep.tick(5_000); // 4 s late: the agent's pongs are still queued behind this timer
    expect(changes).toEqual([]);
    r.seen("h1", 5_001);
    sweep.tick(6_000);
    expect(changes).toEqual([]);
    sweep.tick(7_000);
    sweep.tick(8_000); // 3 s of real silence, on time: stale
    expect(changes).toEqual(["h1"]);
  });

  it("after a restart expects back the hosts seen shortly before the previous process last wrote, however long it was down", async () => {
    const stoppedAt = 1_000_000;
    const rows = [
      { id: "was-online", lastSeenAt: new Date(stoppedAt) },
      { id: "left-just-before", lastSeenAt: new Date(stoppedAt - 50_000) },
      { id: "long-gone", lastSeenAt: new Date(stoppedAt - 61_000) },
      { id: "never-seen", lastSeenAt: null },
    ];
    const fakeDb = {
      host: {
        findFirst: async () => ({ lastSeenAt: rows[0]!.lastSeenAt }),
        findMany: async (args: { where: { lastSeenAt: { gte: Date } } }) => rows.filter((r) => r.lastSeenAt && r.lastSeenAt >= args.where.lastSeenAt.gte).map((r) => ({ id: r.id })),
        updateMany: async () => ({ count: 0 }),
      },
    } as never;
    const r = new HostRegistry({ staleAfterMs: 10_000 });
    const sweep = new PresenceSweep({ db: fakeDb, registry: r, log, graceMs: 60_000 });
    const startedAt = stoppedAt + 3_600_000; // down for an hour
    await sweep.start(startedAt);
    sweep.stop();
    expect(rows.map((row) => r.presence(row.id, startedAt + 59_999))).toEqual(["reconnecting", "reconnecting", "offline", "offline"]);
    expect(r.presence("was-online", startedAt + 60_000)).toBe("offline");
  });

  it("writes lastSeenAt of online hosts only, batched", async () => {
    const r = new HostRegistry({ staleAfterMs: 1_000 });
    const writes: { ids: string[]; at: number }[] = [];
    const recordingDb = {
      host: {
        findMany: async () => [],
        updateMany: async (args: { where: { id: { in: string[] } }; data: { lastSeenAt: Date } }) => {
          writes.push({ ids: args.where.id.in, at: args.data.lastSeenAt.getTime() });
          return { count: args.where.id.in.length };
        },
      },
    } as never;
    for (let i = 0; i < 1_200; i++) r.connected(`h${i}`, 10_000);
    r.connected("quiet", 0); // stale at 10_000
    const sweep = new PresenceSweep({ db: recordingDb, registry: r, log, graceMs: 0, persistMs: 1 });
    sweep.tick(10_000);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(writes.map((w) => w.ids.length)).toEqual([500, 500, 200]);
    expect(writes.flatMap((w) => w.ids)).not.toContain("quiet");
    expect(new Set(writes.map((w) => w.at))).toEqual(new Set([10_000]));
  });
});
