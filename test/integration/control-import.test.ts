import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as importRoute } from "../../app/api/hosts/[hostId]/images/import/route";
import type { OperationProgress } from "../../server/realtime/operation-progress";
import { setServices } from "../../server/services";
import { startControlEnv, type ControlEnv } from "../support/control-env";
import { docker } from "../support/docker-cli";

let env: ControlEnv;
let dir: string;
let tarball: string;
let repository: string;
const progress: OperationProgress[] = [];

/** The busybox-static rootfs, as scripts/import-busybox.sh builds it, as a tarball on disk. */
function buildRootfs(): string {
  const root = path.join(dir, "rootfs");
  for (const d of ["bin", "etc", "tmp"]) fs.mkdirSync(path.join(root, d), { recursive: true });
  fs.copyFileSync("/bin/busybox", path.join(root, "bin/busybox"));
  fs.chmodSync(path.join(root, "bin/busybox"), 0o755);
  for (const applet of ["sh", "echo", "sleep", "cat"]) fs.symlinkSync("busybox", path.join(root, "bin", applet));
  fs.writeFileSync(path.join(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
  const file = path.join(dir, "rootfs.tar");
  execFileSync("tar", ["--numeric-owner", "--owner=0", "--group=0", "-C", root, "-cf", file, "."]);
  return file;
}

beforeAll(async () => {
  env = await startControlEnv("ctl-import");
  setServices(env.services); // the route handler reads the process's services, as under Next
  env.services.operations.on("progress", (p) => progress.push(p));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pt-import-"));
  tarball = buildRootfs();
  repository = `local/pt-import-${process.pid}`;
});

afterAll(async () => {
  await docker(["image", "rm", "-f", `${repository}:v1`]).catch(() => undefined);
  await env?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function post(query: string, body: BodyInit | null, headers: Record<string, string>) {
  const url = `http://127.0.0.1:3000/api/hosts/${env.hostId}/images/import?${query}`;
  const req = new Request(url, { method: "POST", body, headers, duplex: "half" } as RequestInit);
  const res = await importRoute(req, { params: Promise.resolve({ hostId: env.hostId }) });
  return { status: res.status, body: (await res.json()) as { id?: string; error?: { message: string } } };
}

describe("[CONTROL][IMPORT] a rootfs tarball becomes an image, streamed to the agent", () => {
  let token: string;
  beforeAll(async () => {
    token = (await env.as("operator").tokens.create({ name: "import" })).token;
  });

  it("imports, runs a container from it via containers.create, removes both", async () => {
    const bytes = fs.readFileSync(tarball);
    const stream = fs.createReadStream(tarball) as unknown as AsyncIterable<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        for await (const chunk of stream) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await post(`repository=${encodeURIComponent(repository)}&tag=v1`, body, { authorization: `Bearer ${token}` });
    expect(res).toEqual({ status: 200, body: { id: expect.stringMatching(/^sha256:[a-f0-9]{64}$/) } });
    const id = res.body.id!;
    expect(await docker(["image", "inspect", "--format", "{{.Id}} {{index .RepoTags 0}}", `${repository}:v1`])).toBe(`${id} ${repository}:v1`);

    const mine = progress.filter((p) => p.kind === "import" && p.hostId === env.hostId);
    expect(mine.at(-1)).toMatchObject({ done: true, status: "imported", currentBytes: bytes.length, totalBytes: bytes.length });
    expect(mine.some((p) => !p.done && (p.currentBytes ?? 0) > 0)).toBe(true);
    const audit = await env.services.db.auditEvent.findMany({ where: { action: "image.import" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.target, a.result])).toEqual([[`${repository}:v1`, "requested"], [`${repository}:v1`, "ok"]]);
    expect(JSON.parse(audit[0]!.params!)).toMatchObject({ sizeBytes: bytes.length, sha256: (await import("node:crypto")).createHash("sha256").update(bytes).digest("hex") });
    expect(fs.readdirSync(path.join(env.services.config.dataDir, "uploads"))).toEqual([]); // spool removed

    const op = env.as("operator");
    const created = await op.containers.create({
      hostId: env.hostId,
      spec: { image: `${repository}:v1`, name: env.name("imported"), command: ["/bin/sh", "-c", "echo hello from the import"], labels: env.labels, network: "none" },
    });
    await expect.poll(async () => docker(["inspect", "--format", "{{.State.Status}}", created.id]), { timeout: 10_000 }).toBe("exited");
    expect(await docker(["logs", created.id])).toBe("hello from the import");
    await docker(["rm", created.id]);
    expect(await op.images.remove({ hostId: env.hostId, imageId: `${repository}:v1` })).toEqual({ untagged: [`${repository}:v1`], deleted: expect.arrayContaining([id]) });
    expect(await docker(["image", "ls", "-q", repository])).toBe("");
  });

  it("refuses a viewer (audited), a cross-origin cookie caller, and a bad repository", async () => {
    const viewerToken = (await env.as("viewer").tokens.create({ name: "v" })).token;
    expect((await post(`repository=${repository}`, "x", { authorization: `Bearer ${viewerToken}` })).status).toBe(403);
    const denied = await env.services.db.auditEvent.findFirst({ where: { action: "authz.denied" }, orderBy: { id: "desc" } });
    expect(denied).toMatchObject({ hostId: env.hostId, target: `/api/hosts/${env.hostId}/images/import` });
    expect((await post(`repository=${repository}`, "x", { origin: "http://evil.example" })).status).toBe(403);
    expect((await post(`repository=../x`, "x", { authorization: `Bearer ${token}` })).status).toBe(400);
    expect((await post(`repository=${repository}`, null, { authorization: `Bearer ${token}` })).status).toBe(400);
  });
});
