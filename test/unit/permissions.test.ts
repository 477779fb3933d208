import { describe, expect, it } from "vitest";
import { can, canSomewhere, type Access } from "../../server/auth/access";
import { BUILTIN_ROLE_PERMISSIONS, GLOBAL_PERMISSIONS, HOST_PERMISSIONS, PERMISSIONS, isHostPermission } from "../../server/auth/permissions";

const access = (a: Partial<{ global: string[]; everywhere: string[]; hosts: Record<string, string[]> }>): Access =>
  ({
    global: new Set(a.global ?? []),
    everywhere: new Set(a.everywhere ?? []),
    hosts: new Map(Object.entries(a.hosts ?? {}).map(([k, v]) => [k, new Set(v)])),
  }) as Access;

describe("built-in roles", () => {
  it("admin holds every permission", () => {
    expect([...BUILTIN_ROLE_PERMISSIONS.admin].sort()).toEqual([...PERMISSIONS].sort());
  });
  it("viewer is read-only: no exec, no secrets in env, no mutation, nothing global", () => {
    const viewer = BUILTIN_ROLE_PERMISSIONS.viewer;
    for (const p of ["container:exec", "container:env:read", "container:stop", "container:create", "image:write", "host:revoke"] as const) expect(viewer).not.toContain(p);
    expect(viewer.every((p) => p.endsWith(":read"))).toBe(true);
    expect(viewer.some((p) => !isHostPermission(p))).toBe(false);
  });
  it("operator runs lifecycle, create, exec and logs, but cannot weaken isolation or administer", () => {
    const operator = BUILTIN_ROLE_PERMISSIONS.operator;
    for (const p of ["container:stop", "container:create", "container:exec", "logs:read"] as const) expect(operator).toContain(p);
    expect(operator).not.toContain("container:create:privileged");
    expect(operator.some((p) => (GLOBAL_PERMISSIONS as readonly string[]).includes(p))).toBe(false);
  });
  it("the catalogue splits cleanly into host-scoped and global permissions", () => {
    expect(HOST_PERMISSIONS.length + GLOBAL_PERMISSIONS.length).toBe(new Set(PERMISSIONS).size);
  });
});

describe("can (deny by default)", () => {
  const a = access({ global: ["audit:read"], everywhere: ["host:read"], hosts: { A: ["container:stop"] } });
  it.each([
    ["audit:read", undefined, true],
    ["user:manage", undefined, false],
    ["host:read", "B", true],
    ["container:stop", "A", true],
    ["container:stop", "B", false],
    ["container:stop", undefined, false],
    ["container:exec", "A", false],
  ] as const)("%s on %s -> %s", (permission, hostId, expected) => {
    expect(can(a, permission, hostId)).toBe(expected);
  });
  it("canSomewhere sees per-host grants", () => {
    expect(canSomewhere(a, "container:stop")).toBe(true);
    expect(canSomewhere(a, "container:kill")).toBe(false);
    expect(canSomewhere(access({}), "host:read")).toBe(false);
  });
});
