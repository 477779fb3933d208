import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterBus } from "../../server/cluster/cluster-bus";
import { ReplicaPeers } from "../../server/cluster/replica-peers";
import { AppError } from "../../server/errors";
import { createServerLogger } from "../../server/log";
import { freePort, startProcess, type Managed } from "../support/processes";
import { waitFor } from "../support/test-services";

// The replicas' message bus on a real Redis server started by this test.
const log = createServerLogger("error");
let redis: Managed;
let dir: string;
let port: number;
const connections: Redis[] = [];
const publishers = new Map<string, Redis>();

function bus(id: string): ClusterBus {
  const pub = new Redis(port, "127.0.0.1");
  const sub = new Redis(port, "127.0.0.1");
  connections.push(pub, sub);
  publishers.set(id, pub);
  return new ClusterBus({ pub, sub }, id, log);
}

beforeAll(async () => {
  try {
    execFileSync("redis-server", ["--version"]);
  } catch {
    throw new Error("redis-server is not installed: run scripts/ensure-redis.sh first");
  }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portolan-bus-"));
  port = await freePort();
  redis = startProcess("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { log: path.join(dir, "redis.log") });
  const probe = new Redis(port, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
  probe.on("error", () => undefined);
  await waitFor(() => probe.ping().then((r) => r === "PONG"), "test redis", 10_000);
  probe.disconnect();
});

afterAll(async () => {
  for (const c of connections) c.disconnect();
  await redis?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("[REPLICAS] cluster bus over Redis", () => {
  it("answers requests from the one replica asked, errors as error bodies, broadcasts in order", async () => {
    const a = bus("a");
    const b = bus("b");
    const c = bus("c");
    await Promise.all([a.start(), b.start(), c.start()]);
    const heardByC: unknown[] = [];
    b.on("double", (body) => (body as number) * 2);
    c.on("double", () => {
      throw new Error("c must not be asked");
    });
    b.on("refuse", () => {
      throw new AppError("FORBIDDEN", "not you");
    });
    c.on("note", (body) => void heardByC.push(body));

    expect(await a.request("b", "double", 21, 2_000)).toEqual({ ok: true, value: 42 });
    expect(await a.request("b", "refuse", null, 2_000)).toEqual({ ok: false, error: { code: "FORBIDDEN", message: "not you" } });
    expect(await a.request("b", "nobody-serves-this", null, 2_000)).toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
    for (let i = 0; i < 50; i++) a.broadcast("note", i);
    await waitFor(() => heardByC.length === 50, "50 broadcasts");
    expect(heardByC).toEqual([...Array(50).keys()]);
  });

  it("gives up on a replica that does not answer: at the timeout, or at once when it is declared gone", async () => {
    const a = bus("a2");
    const b = bus("b2");
    await Promise.all([a.start(), b.start()]);
    b.on("slow", () => new Promise(() => undefined)); // never answers
    const started = Date.now();
    expect(await a.request("b2", "slow", null, 300)).toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
    expect(Date.now() - started).toBeLessThan(2_000);

    const pending = a.request("b2", "slow", null, 60_000);
    a.replicaGone("b2");
    expect(await pending).toMatchObject({ ok: false, error: { code: "UNAVAILABLE", message: "replica b2 is gone" } });
  });

  it("sees replicas join by their heartbeat and leave when they fall silent or say goodbye", async () => {
    const timing = { heartbeatMs: 100, expiryMs: 400 };
    const [a, b, c] = [bus("pa"), bus("pb"), bus("pc")];
    await Promise.all([a.start(), b.start(), c.start()]);
    const peersA = new ReplicaPeers(a, timing);
    const events: string[] = [];
    peersA.on("joined", (id) => events.push(`joined:${id}`));
    peersA.on("gone", (id) => events.push(`gone:${id}`));
    const peersB = new ReplicaPeers(b, timing);
    const peersC = new ReplicaPeers(c, timing);
    peersA.start();
    peersB.start();
    peersC.start();
    await waitFor(() => peersA.alive().length === 2, "a hears b and c");
    peersB.stop(); // clean goodbye
    await waitFor(() => events.includes("gone:pb"), "b gone at once");
    const silentSince = Date.now();
    publishers.get("pc")!.disconnect(); // c dies without a word: nothing it publishes gets out
    await waitFor(() => events.includes("gone:pc"), "c given up", 3_000);
    expect(Date.now() - silentSince).toBeGreaterThanOrEqual(timing.expiryMs - timing.heartbeatMs);
    expect(events.slice(0, 2).sort()).toEqual(["joined:pb", "joined:pc"]);
    peersA.stop();
    peersC.stop();
  });
});
