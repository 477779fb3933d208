import { describe, expect, it } from "vitest";
import { ZContainerSpec, type ContainerSpecInput } from "../../agents/protocol/container-spec";
import { isolationRisks } from "../../server/domain/containers/isolation-policy";

const risks = (spec: Partial<ContainerSpecInput>) => isolationRisks(ZContainerSpec.parse({ image: "local/busybox:latest", ...spec })).map((r) => r.code);

describe("isolationRisks", () => {
  it("a default container weakens nothing, and dropping or re-adding default capabilities is fine", () => {
    expect(risks({})).toEqual([]);
    expect(risks({ capDrop: ["ALL"], capAdd: ["NET_BIND_SERVICE"], mounts: [{ type: "bind", source: "/srv/data", target: "/data" }] })).toEqual([]);
  });
  it.each([
    [{ privileged: true }, "privileged"],
    [{ pidMode: "host" }, "host-pid"],
    [{ network: "host" }, "host-network"],
    [{ ipcMode: "host" }, "host-ipc"],
    [{ utsMode: "host" }, "host-uts"],
    [{ cgroupnsMode: "host" }, "host-cgroupns"],
    [{ seccomp: "unconfined" }, "seccomp-unconfined"],
    [{ capAdd: ["ALL"] }, "cap-all"],
    [{ capAdd: ["SYS_ADMIN"] }, "cap-sys_admin"],
    [{ mounts: [{ type: "bind", source: "/var/run/docker.sock", target: "/s" }] }, "engine-socket"],
    [{ mounts: [{ type: "bind", source: "/run/containerd/containerd.sock", target: "/s" }] }, "engine-socket"],
    [{ mounts: [{ type: "bind", source: "/", target: "/host" }] }, "host-root"],
    [{ mounts: [{ type: "bind", source: "//etc//", target: "/e" }] }, "sensitive-mount"],
    [{ mounts: [{ type: "bind", source: "/proc/sys", target: "/p", readOnly: true }] }, "sensitive-mount"],
  ] as const)("%j -> %s", (spec, code) => {
    expect(risks(spec as Partial<ContainerSpecInput>)).toContain(code);
  });
  it("rejects path tricks and unknown fields before the policy sees them", () => {
    expect(ZContainerSpec.safeParse({ image: "x", mounts: [{ type: "bind", source: "/srv/../etc", target: "/e" }] }).success).toBe(false);
    expect(ZContainerSpec.safeParse({ image: "x", Privileged: true }).success).toBe(false);
    expect(ZContainerSpec.safeParse({ image: "x", capAdd: ["SYS_EVIL"] }).success).toBe(false);
  });
});
