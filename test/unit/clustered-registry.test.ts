import { describe, expect, it } from "vitest";
import type { Container, HostSnapshot } from "../../agents/protocol";
import { ClusteredRegistry, ZRegistryMessage, type RegistryMessage } from "../../server/cluster/clustered-registry";

const container = (id: string, state: Container["state"] = "running"): Container => ({
  id: id.padEnd(64, "0"), name: id, image: "img", imageId: "sha256:x", command: "sh", state, status: "", health: "none",
  createdAt: 0, startedAt: null, finishedAt: null, exitCode: null, ports: [], labels: {}, networks: [], restartCount: 0,
});
const facts = { hostname: "h", os: "o", kernel: "k", architecture: "x86_64", cpus: 2, memoryBytes: 1, dockerVersion: null, apiVersion: null, cgroupVersion: null, cgroupDriver: null, storageDriver: null, securityOptions: [], agentVersion: "t" };
const snapshot = (generation: number, containers: Container[]): HostSnapshot => ({ generation, facts, runtime: { available: true, error: null, checkedAt: 0 }, containers });

/** Replicas whose registries publish to each other directly, in order (as the bus does), each message schema-checked. */
function cluster(...ids: string[]) {
  const replicas = new Map<string, { registry: ClusteredRegistry; moved: string[] }>();
  for (const id of ids) {
    const registry = new ClusteredRegistry();
    const moved: string[] = [];
    registry.replicate({
      replicaId: id,
      publish: (message: RegistryMessage) => {
        for (const [other, r] of replicas) if (other !== id) r.registry.applyRemote(id, ZRegistryMessage.parse(JSON.parse(JSON.stringify(message))));
      },
      hostMoved: (hostId, online) => moved.push(`${hostId}:${online ? "elsewhere" : "gone"}`),
    });
    replicas.set(id, { registry, moved });
  }
  return (id: string) => replicas.get(id)!;
}

describe("ClusteredRegistry", () => {
  it("replicates what the holder's agent reports: presence, snapshots, container changes, last seen", async () => {
    const r = cluster("a", "b");
    const changes: string[] = [];
    r("b").registry.on("changed", (hostId, what) => changes.push(`${hostId}:${what}`));
    r("a").registry.connected("h1", 1_000);
    r("a").registry.applySnapshot("h1", snapshot(3, [container("aaaaaaaaaaaa")]));
    r("a").registry.applyChange("h1", { kind: "upsert", generation: 3, action: "stop", time: 0, container: container("aaaaaaaaaaaa", "exited") });
    r("a").registry.seen("h1", 1_500);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // last-seen times go out batched, once a second

    const b = r("b").registry;
    expect(b.holder("h1")).toBe("a");
    expect(b.holdsLocally("h1")).toBe(false);
    expect(r("a").registry.holdsLocally("h1")).toBe(true);
    expect(b.get("h1")).toMatchObject({ online: true, connectedAt: 1_000, lastSeenAt: 1_500, generation: 3 });
    expect(b.get("h1")!.containers.get(container("aaaaaaaaaaaa").id)!.state).toBe("exited");
    expect(changes).toEqual(["h1:presence", "h1:snapshot", "h1:containers"]);
    expect(r("b").moved).toEqual(["h1:elsewhere"]); // b's live features learn the host is up (elsewhere)

    r("a").registry.disconnected("h1", 2_000);
    expect(b.get("h1")).toMatchObject({ online: false, lastSeenAt: 1_500 });
    expect(b.holder("h1")).toBeNull();
    expect(r("b").moved).toEqual(["h1:elsewhere", "h1:gone"]);
  });

  it("lets the newest connection win: the old holder's late disconnect changes nothing anywhere", () => {
    const r = cluster("a", "b", "c");
    r("a").registry.connected("h1", 1_000);
    r("b").registry.connected("h1", 2_000); // the agent came back through another replica
    expect(r("a").moved).toEqual(["h1:elsewhere"]);
    r("a").registry.disconnected("h1", 2_100); // a's old socket closes after the fact
    for (const id of ["a", "b", "c"]) {
      expect(r(id).registry.get("h1")?.online).toBe(true);
      expect(r(id).registry.holder("h1")).toBe("b");
    }
  });

  it("ignores registry news about a host from a replica that does not hold it", () => {
    const r = cluster("a", "b");
    r("a").registry.connected("h1", 1_000);
    r("a").registry.applySnapshot("h1", snapshot(1, [container("aaaaaaaaaaaa")]));
    r("b").registry.applyRemote("c", { kind: "snapshot", hostId: "h1", snapshot: snapshot(9, []) });
    r("b").registry.applyRemote("c", { kind: "presence", hostId: "h1", online: false, since: 1_000, lastSeenAt: 1_000 });
    r("b").registry.applyRemote("c", { kind: "presence", hostId: "h1", online: true, since: 500, lastSeenAt: 500 }); // older than a's
    expect(r("b").registry.get("h1")).toMatchObject({ online: true, generation: 1 });
    expect(r("b").registry.holder("h1")).toBe("a");
  });

  it("takes the hosts of a replica that fell silent offline, keeping when they were last heard", () => {
    const r = cluster("a", "b");
    r("a").registry.connected("h1", 1_000);
    r("a").registry.connected("h2", 1_000);
    r("b").registry.connected("h3", 1_000);
    expect(r("b").registry.dropReplica("a").sort()).toEqual(["h1", "h2"]);
    expect(r("b").registry.get("h1")).toMatchObject({ online: false, lastSeenAt: 1_000 });
    expect(r("b").registry.get("h3")?.online).toBe(true);
  });

  it("tells a replica that joins late everything about the hosts held here", () => {
    const r = cluster("a");
    r("a").registry.connected("h1", 1_000);
    r("a").registry.applySnapshot("h1", snapshot(2, [container("aaaaaaaaaaaa")]));
    r("a").registry.connected("h2", 1_000); // no snapshot yet: presence only
    const late = new ClusteredRegistry();
    late.replicate({ replicaId: "z", publish: () => undefined, hostMoved: () => undefined });
    for (const message of r("a").registry.stateOfLocalHosts()) late.applyRemote("a", ZRegistryMessage.parse(message));
    expect(late.get("h1")).toMatchObject({ online: true, generation: 2 });
    expect(late.get("h1")!.containers.size).toBe(1);
    expect(late.get("h2")?.online).toBe(true);
    expect(late.holder("h2")).toBe("a");
  });
});
