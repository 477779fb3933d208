import { describe, expect, it } from "vitest";
import type { Container, HostSnapshot } from "../../agents/protocol";
import { HostRegistry } from "../../server/realtime/host-registry";

const container = (id: string, state: Container["state"] = "running"): Container => ({
  id: id.padEnd(64, "0"), name: id, image: "img", imageId: "sha256:x", command: "sh", state, status: "", health: "none",
  createdAt: 0, startedAt: null, finishedAt: null, exitCode: null, ports: [], labels: {}, networks: [], restartCount: 0,
});
const facts = { hostname: "h", os: "o", kernel: "k", architecture: "x86_64", cpus: 2, memoryBytes: 1, dockerVersion: null, apiVersion: null, cgroupVersion: null, cgroupDriver: null, storageDriver: null, securityOptions: [], agentVersion: "t" };
const snapshot = (generation: number, containers: Container[]): HostSnapshot => ({
  generation, facts, runtime: { available: true, error: null, checkedAt: 0 }, containers,
});

describe("HostRegistry", () => {
  it("replaces the view on a snapshot instead of merging", () => {
    const r = new HostRegistry();
    r.applySnapshot("h1", snapshot(1, [container("aaaaaaaaaaaa"), container("bbbbbbbbbbbb")]));
    r.applySnapshot("h1", snapshot(2, [container("cccccccccccc")]));
    expect([...r.get("h1")!.containers.values()].map((c) => c.name)).toEqual(["cccccccccccc"]);
  });

  it("ignores older snapshots and changes from another generation", () => {
    const r = new HostRegistry();
    r.applySnapshot("h1", snapshot(5, [container("aaaaaaaaaaaa")]));
    expect(r.applySnapshot("h1", snapshot(4, []))).toBe(false);
    expect(r.applyChange("h1", { kind: "remove", generation: 4, action: "destroy", time: 0, id: container("aaaaaaaaaaaa").id })).toBe(false);
    expect(r.get("h1")!.containers.size).toBe(1);
    expect(r.applyChange("h1", { kind: "upsert", generation: 5, action: "stop", time: 0, container: container("aaaaaaaaaaaa", "exited") })).toBe(true);
    expect(r.get("h1")!.containers.get(container("aaaaaaaaaaaa").id)!.state).toBe("exited");
  });

  it("tracks presence and tells listeners", () => {
    const r = new HostRegistry();
    const seen: string[] = [];
    r.on("changed", (id, what) => seen.push(`${id}:${what}`));
    r.connected("h1", 1000);
    r.seen("h1", 1500);
    r.disconnected("h1", 2000);
    // Last seen is when it was last heard, not when the disconnect was noticed (a cut link times out later).
    expect(r.get("h1")).toMatchObject({ online: false, lastSeenAt: 1500 });
    expect(seen).toEqual(["h1:presence", "h1:presence"]);
  });
});

describe("protocol compatibility", () => {
  it("accepts a container from an agent built before finishedAt/exitCode existed", async () => {
    const { ZContainer } = await import("../../agents/protocol");
    const { finishedAt: _f, exitCode: _e, ...old } = container("dddddddddddd");
    expect(ZContainer.parse(old)).toMatchObject({ finishedAt: null, exitCode: null });
  });
});
