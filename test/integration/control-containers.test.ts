import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContainerSpecInput } from "../../agents/protocol";
import { failure, startControlEnv, type ControlEnv } from "../support/control-env";
import { docker } from "../support/docker-cli";
import { freePort } from "../support/processes";
import { waitFor } from "../support/test-services";

let env: ControlEnv;
let bindDir: string;
let port: number;
let volume: string;

beforeAll(async () => {
  env = await startControlEnv("ctl-containers");
  bindDir = fs.mkdtempSync(path.join(os.tmpdir(), "pt-bind-"));
  port = await freePort();
  volume = env.name("data");
  await env.as("operator").volumes.create({ hostId: env.hostId, name: volume, labels: env.labels });
});

afterAll(async () => {
  await env?.stop();
  fs.rmSync(bindDir, { recursive: true, force: true });
});

type Inspect = { Id: string; Name: string; State: { Running: boolean }; HostConfig: Record<string, unknown>; Config: Record<string, unknown> };
const inspect = async (ref: string) => JSON.parse(await docker(["inspect", ref]))[0] as Inspect;
const exists = (ref: string) => docker(["inspect", ref]).then(() => true, () => false);
const inRegistry = (id: string) => waitFor(() => env.services.registry.get(env.hostId)?.containers.get(id), "container in the live inventory");
const audits = async (action: string) => (await env.services.db.auditEvent.findMany({ where: { action }, orderBy: { id: "asc" } })).map((a) => ({ ...a, params: a.params ? JSON.parse(a.params) : null }));

function richSpec(name: string): ContainerSpecInput {
  return {
    image: "local/busybox:latest",
    name,
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait"], // stops at once, so recreate is quick
    env: [{ key: "GREETING", value: "hello" }, { key: "SECRET", value: "s3cr3t" }],
    ports: [{ hostIp: "127.0.0.1", hostPort: port, containerPort: 80, protocol: "tcp" }, { containerPort: 9000, protocol: "udp" }],
    mounts: [{ type: "bind", source: bindDir, target: "/host-tmp", readOnly: true }, { type: "volume", source: volume, target: "/data" }],
    restartPolicy: { name: "on-failure", maximumRetryCount: 3 },
    memoryBytes: 64 * 1024 * 1024,
    nanoCpus: 500_000_000,
    pidsLimit: 100,
    capAdd: ["NET_BIND_SERVICE"],
    capDrop: ["MKNOD", "NET_RAW"],
    readOnlyRootfs: true,
    noNewPrivileges: true,
    user: "65534:65534",
    labels: { ...env.labels, app: "web" },
    healthcheck: { test: ["CMD-SHELL", "true"], intervalS: 10, timeoutS: 5, retries: 2, startPeriodS: 1 },
  };
}

/** The HostConfig fields a spec sets, as the engine reports them. */
const settings = (i: Inspect) => ({
  PortBindings: i.HostConfig.PortBindings, Memory: i.HostConfig.Memory, NanoCpus: i.HostConfig.NanoCpus, PidsLimit: i.HostConfig.PidsLimit,
  CapAdd: i.HostConfig.CapAdd, CapDrop: i.HostConfig.CapDrop, ReadonlyRootfs: i.HostConfig.ReadonlyRootfs, SecurityOpt: i.HostConfig.SecurityOpt,
  RestartPolicy: i.HostConfig.RestartPolicy, Binds: i.HostConfig.Binds, Mounts: i.HostConfig.Mounts, Privileged: i.HostConfig.Privileged,
  NetworkMode: i.HostConfig.NetworkMode, PidMode: i.HostConfig.PidMode, IpcMode: i.HostConfig.IpcMode, UTSMode: i.HostConfig.UTSMode, CgroupnsMode: i.HostConfig.CgroupnsMode,
  Env: i.Config.Env, Labels: i.Config.Labels, Healthcheck: i.Config.Healthcheck, User: i.Config.User, Cmd: i.Config.Cmd, Image: i.Config.Image,
});

describe("[CONTROL][CREATE] a spec becomes exactly that container", () => {
  let id: string;

  it("creates and starts it with the requested HostConfig", async () => {
    const name = env.name("rich");
    const created = await env.as("operator").containers.create({ hostId: env.hostId, spec: richSpec(name) });
    expect(created).toEqual({ id: expect.stringMatching(/^[a-f0-9]{64}$/), name, started: true });
    id = created.id;
    const got = await inspect(id);
    expect(got.State.Running).toBe(true);
    expect(settings(got)).toEqual({
      PortBindings: { "80/tcp": [{ HostIp: "127.0.0.1", HostPort: String(port) }], "9000/udp": [{ HostIp: "", HostPort: "" }] },
      Memory: 64 * 1024 * 1024,
      NanoCpus: 500_000_000,
      PidsLimit: 100,
      CapAdd: ["NET_BIND_SERVICE"],
      CapDrop: ["MKNOD", "NET_RAW"],
      ReadonlyRootfs: true,
      SecurityOpt: ["no-new-privileges"],
      RestartPolicy: { Name: "on-failure", MaximumRetryCount: 3 },
      Binds: null,
      Mounts: [
        { Type: "bind", Source: bindDir, Target: "/host-tmp", ReadOnly: true },
        { Type: "volume", Source: volume, Target: "/data" },
      ],
      Privileged: false,
      NetworkMode: "bridge",
      PidMode: "",
      IpcMode: "private",
      UTSMode: "",
      CgroupnsMode: "private",
      Env: ["GREETING=hello", "SECRET=s3cr3t", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
      Labels: { ...env.labels, app: "web" },
      Healthcheck: { Test: ["CMD-SHELL", "true"], Interval: 10e9, Timeout: 5e9, Retries: 2, StartPeriod: 1e9 },
      User: "65534:65534",
      Cmd: ["sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait"],
      Image: "local/busybox:latest",
    });
    const requested = (await audits("container.create")).filter((a) => a.target === name);
    expect(requested.map((a) => a.result)).toEqual(["requested", "ok"]);
    expect(requested[0]!.params.spec).toMatchObject({ image: "local/busybox:latest", memoryBytes: 64 * 1024 * 1024 });
    expect(JSON.stringify(requested)).not.toContain("s3cr3t"); // no secrets in the audit log
    expect(JSON.stringify(await env.services.db.command.findMany())).not.toContain("s3cr3t"); // nor in stored commands
  });

  it("inspect redacts env values for a viewer and shows them to an operator", async () => {
    await inRegistry(id);
    const asViewer = await env.as("viewer").containers.inspect({ containerId: id });
    expect(asViewer.envRedacted).toBe(true);
    expect(asViewer.config.env).toContainEqual({ key: "SECRET", value: null });
    expect(JSON.stringify(asViewer)).not.toContain("s3cr3t");
    const asOperator = await env.as("operator").containers.inspect({ hostId: env.hostId, containerId: id });
    expect(asOperator.envRedacted).toBe(false);
    expect(asOperator.config.env).toContainEqual({ key: "SECRET", value: "s3cr3t" });
    expect(asOperator).toMatchObject({
      id,
      image: "local/busybox:latest",
      state: { status: "running", running: true },
      hostConfig: { memoryBytes: 64 * 1024 * 1024, nanoCpus: 500_000_000, pidsLimit: 100, readonlyRootfs: true, restartPolicy: { name: "on-failure", maximumRetryCount: 3 } },
    });
    expect(asOperator.hostConfig.portBindings).toContainEqual({ containerPort: 80, protocol: "tcp", hostIp: "127.0.0.1", hostPort: port });
    expect(asOperator.mounts).toContainEqual({ type: "volume", source: expect.any(String), destination: "/data", readOnly: false, name: volume });
  });

  it("recreate keeps every setting, replaces the id and removes the old container", async () => {
    const before = await inspect(id);
    const name = before.Name.slice(1);
    const result = await env.as("operator").containers.recreate({ containerId: id });
    expect(result.name).toBe(name);
    expect(result.id).toMatch(/^[a-f0-9]{64}$/);
    expect(result.id).not.toBe(id);
    expect(await exists(id)).toBe(false);
    const after = await inspect(name);
    expect(after.Id).toBe(result.id);
    expect(after.State.Running).toBe(true);
    expect(settings(after)).toEqual(settings(before));
    id = result.id;
  });

  it("names Docker's refusals plainly: missing image is NOT_FOUND, a taken name is CONFLICT", async () => {
    const missing = await failure(env.as("operator").containers.create({ hostId: env.hostId, spec: { image: "local/nope:latest", name: env.name("nope") } }));
    expect(missing).toEqual({ code: "NOT_FOUND", message: "No such image: local/nope:latest" });
    const taken = await failure(env.as("operator").containers.create({ hostId: env.hostId, spec: { ...richSpec(env.name("rich")), ports: [] } }));
    expect(taken.code).toBe("CONFLICT");
    expect(taken.message).toMatch(/already in use/);
  });

  it("a viewer cannot create", async () => {
    expect((await failure(env.as("viewer").containers.create({ hostId: env.hostId, spec: { image: "local/busybox:latest" } }))).code).toBe("FORBIDDEN");
  });
});

describe("[CONTROL][ISOLATION] settings that weaken isolation need container:create:privileged", () => {
  const risky = (name: string): ContainerSpecInput => ({
    image: "local/busybox:latest", name, command: ["sleep", "600"], privileged: true, capAdd: ["SYS_ADMIN"], pidMode: "host", labels: env.labels, network: "none",
  });

  it("refuses an operator with one line per risk, audited, nothing created or sent", async () => {
    const name = env.name("risky-op");
    const commands = await env.services.db.command.count();
    const refused = await failure(env.as("operator").containers.create({ hostId: env.hostId, spec: risky(name) }));
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message.split("\n")).toEqual([
      `this container weakens isolation and you lack container:create:privileged on host ${env.hostId}:`,
      "- Privileged: every capability, all host devices, no seccomp or AppArmor — root on the host.",
      "- Host PID namespace: sees and can signal every process on the host.",
      "- Adds CAP_SYS_ADMIN, beyond Docker's default set.",
    ]);
    expect(await env.services.db.command.count()).toBe(commands);
    expect(await exists(name)).toBe(false);
    const denied = (await audits("authz.denied")).at(-1)!;
    expect(denied).toMatchObject({ target: "containers.create", result: "denied", params: { permission: "container:create:privileged", risks: ["privileged", "host-pid", "cap-sys_admin"] } });
  });

  it("accepts an admin and audits the risks with the command", async () => {
    const name = env.name("risky-admin");
    // Not started: this sandbox's engine may not grant a privileged container its capabilities.
    const created = await env.as("admin").containers.create({ hostId: env.hostId, spec: risky(name), start: false });
    expect(created.started).toBe(false);
    const got = await inspect(created.id);
    expect(got.HostConfig).toMatchObject({ Privileged: true, PidMode: "host", CapAdd: ["SYS_ADMIN"] });
    const entries = (await audits("container.create")).filter((a) => a.target === name);
    expect(entries.map((a) => [a.result, a.params.risks])).toEqual([["requested", ["privileged", "host-pid", "cap-sys_admin"]], ["ok", undefined]]);
  });

  it("recreate applies the same rule to the container's own settings", async () => {
    const name = env.name("risky-admin");
    const { Id: id } = await inspect(name);
    await inRegistry(id);
    const refused = await failure(env.as("operator").containers.recreate({ containerId: id }));
    expect(refused.message).toContain("- Privileged:");
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).toContain("- Privileged:");
    expect((await inspect(name)).Id).toBe(id); // untouched
  });
});
