import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OperationProgress } from "../../server/realtime/operation-progress";
import { failure, startControlEnv, type ControlEnv } from "../support/control-env";
import { docker } from "../support/docker-cli";

let env: ControlEnv;
let user: { id: string; name: string }; // a container that uses the image, a volume and a network
let volume: string;
let network: string;
const progress: OperationProgress[] = [];

beforeAll(async () => {
  env = await startControlEnv("ctl-res");
  env.services.operations.on("progress", (p) => progress.push(p));
  volume = env.name("vol");
  network = env.name("net");
  const op = env.as("operator");
  expect(await op.volumes.create({ hostId: env.hostId, name: volume, labels: env.labels })).toEqual({ name: volume });
  const created = await op.networks.create({ hostId: env.hostId, name: network, subnet: "10.229.7.0/24", gateway: "10.229.7.1", labels: env.labels });
  expect(created.id).toMatch(/^[a-f0-9]{64}$/);
  user = await op.containers.create({
    hostId: env.hostId,
    spec: { image: "local/busybox:latest", name: env.name("user"), command: ["sleep", "600"], network, mounts: [{ type: "volume", source: volume, target: "/data" }], labels: env.labels },
  });
});

afterAll(() => env?.stop());


describe("[CONTROL][LISTS] images, volumes and networks show who uses them", () => {
  it("images.list", async () => {
    const images = await env.as("viewer").images.list({ hostId: env.hostId });
    const busybox = images.find((i) => i.tags.includes("local/busybox:latest"))!;
    expect(busybox).toMatchObject({ id: expect.stringMatching(/^sha256:[a-f0-9]{64}$/), sizeBytes: expect.any(Number), createdAt: expect.stringMatching(/^\d{4}-/) });
    expect(busybox.containers).toContainEqual({ id: user.id, name: user.name, state: "running" });
  });

  it("volumes.list", async () => {
    const volumes = await env.as("viewer").volumes.list({ hostId: env.hostId });
    expect(volumes.find((v) => v.name === volume)).toEqual({
      name: volume, driver: "local", scope: "local", mountpoint: `/var/lib/docker/volumes/${volume}/_data`, createdAt: expect.any(String), labels: env.labels,
      containers: [{ id: user.id, name: user.name }],
    });
  });

  it("networks.list", async () => {
    const networks = await env.as("viewer").networks.list({ hostId: env.hostId });
    const mine = networks.find((n) => n.name === network)!;
    const ip = (await docker(["inspect", "--format", `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, user.id])).trim();
    expect(mine).toMatchObject({ driver: "bridge", scope: "local", internal: false, subnets: [{ subnet: "10.229.7.0/24", gateway: "10.229.7.1" }], bridge: `br-${mine.id.slice(0, 12)}` });
    expect(mine.containers).toEqual([{ id: user.id, name: user.name, ipv4: ip }]);
    expect(ip).toMatch(/^10\.229\.7\./);
  });

  it("a viewer may list but not change anything", async () => {
    expect((await failure(env.as("viewer").volumes.create({ hostId: env.hostId, name: env.name("no") }))).code).toBe("FORBIDDEN");
    expect((await failure(env.as("viewer").networks.prune({ hostId: env.hostId }))).code).toBe("FORBIDDEN");
    expect((await failure(env.as("viewer").images.remove({ hostId: env.hostId, imageId: "local/busybox:latest" }))).code).toBe("FORBIDDEN");
  });

  it("an offline host is PRECONDITION_FAILED, named", async () => {
    const offline = await env.services.db.host.create({ data: { name: "sleeping-host", publicKey: "Z".repeat(44) } });
    expect(await failure(env.as("admin").volumes.list({ hostId: offline.id }))).toEqual({ code: "PRECONDITION_FAILED", message: "host sleeping-host is offline" });
    expect(await failure(env.as("admin").volumes.create({ hostId: offline.id, name: env.name("x") }))).toEqual({ code: "PRECONDITION_FAILED", message: "host sleeping-host is offline" });
  });
});

describe("[CONTROL][REMOVE] remove and prune", () => {
  it("an object in use is a CONFLICT with Docker's words; once free it goes", async () => {
    const busy = await failure(env.as("operator").volumes.remove({ hostId: env.hostId, name: volume }));
    expect(busy.code).toBe("CONFLICT");
    expect(busy.message).toMatch(/volume is in use/);
    await docker(["rm", "-f", user.id]);
    expect(await env.as("operator").volumes.remove({ hostId: env.hostId, name: volume })).toEqual({ ok: true });
    expect(await env.as("operator").networks.remove({ hostId: env.hostId, networkId: network })).toEqual({ ok: true });
    expect(await docker(["volume", "ls", "-q", "--filter", `name=^${volume}$`])).toBe("");
    expect(await docker(["network", "ls", "-q", "--filter", `name=^${network}$`])).toBe("");
    expect((await failure(env.as("operator").networks.remove({ hostId: env.hostId, networkId: network }))).code).toBe("NOT_FOUND");
  });

  it("prune removes unused volumes and networks (scoped to this run's label)", async () => {
    const op = env.as("operator");
    const label = `portolan.run=${env.run}`;
    const [v1, v2] = [env.name("pv1"), env.name("pv2")];
    for (const name of [v1, v2]) await op.volumes.create({ hostId: env.hostId, name, labels: env.labels });
    const net = await op.networks.create({ hostId: env.hostId, name: env.name("pn"), labels: env.labels });
    const volumes = await op.volumes.prune({ hostId: env.hostId, label });
    expect(volumes.deleted.sort()).toEqual([v1, v2].sort());
    expect(volumes.spaceReclaimedBytes).toBeGreaterThanOrEqual(0);
    expect(await op.networks.prune({ hostId: env.hostId, label })).toEqual({ deleted: [env.name("pn")] });
    expect(await docker(["network", "ls", "-q", "--filter", `id=${net.id}`])).toBe("");
  });

  it("image prune removes a dangling image of this run, image remove untags and deletes", async () => {
    const op = env.as("operator");
    const tag = `local/pt-prune:${env.run}`;
    const holder = await docker(["create", "--label", "portolan.test=1", "--label", `portolan.run=${env.run}`, "local/busybox:latest", "true"]);
    const imageId = await docker(["commit", "--change", `LABEL portolan.run=${env.run}`, holder, tag]);
    const removed = await op.images.remove({ hostId: env.hostId, imageId: tag });
    expect(removed).toEqual({ untagged: [tag], deleted: [imageId] });
    const dangling = await docker(["commit", "--change", `LABEL portolan.run=${env.run}`, holder]);
    const pruned = await op.images.prune({ hostId: env.hostId, label: `portolan.run=${env.run}` });
    expect(pruned.deleted).toContain(dangling);
    expect(await docker(["image", "ls", "-q", "--no-trunc", "--filter", `label=portolan.run=${env.run}`])).toBe("");
  });
});

describe("[CONTROL][PULL] a host without registry access", () => {
  it("fails fast with the engine's own words, reported as progress too", async () => {
    const started = Date.now();
    const failed = await failure(env.as("operator").images.pull({ hostId: env.hostId, reference: "library/alpine:3.19" }));
    expect(Date.now() - started).toBeLessThan(5_000);
    // The same pull through the docker CLI: its daemon error is the text the API must pass on unchanged.
    const cli = await docker(["pull", "library/alpine:3.19"]).then(() => "", (err: { stderr: string }) => err.stderr.trim());
    expect(failed.code).toBe("BAD_GATEWAY");
    expect(failed.message).toMatch(/^Get "https:\/\/registry-1\.docker\.io\/v2\/": dial tcp: lookup registry-1\.docker\.io.*: no such host$/);
    expect(cli).toBe(`Error response from daemon: ${failed.message}`);
    const mine = progress.filter((p) => p.kind === "pull" && p.hostId === env.hostId);
    expect(mine.at(-1)).toMatchObject({ done: true, status: "failed", error: failed.message });
    const audit = await env.services.db.auditEvent.findMany({ where: { action: "image.pull" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.result)).toEqual(["requested", "error: PULL_FAILED"]);
  });
});
