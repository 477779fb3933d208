import { describe, expect, it } from "vitest";
import { PERMISSIONS, can } from "../../server/auth/permissions";

describe("can", () => {
  it.each([
    ["admin", "host:enroll", true],
    ["admin", "host:revoke", true],
    ["operator", "host:enroll", false],
    ["viewer", "host:read", true],
    ["viewer", "container:read", true],
    ["viewer", "host:enroll", false],
    ["viewer", "audit:read", false],
  ] as const)("%s %s -> %s", (role, permission, expected) => {
    expect(can(role, permission)).toBe(expected);
  });

  it("admins hold every permission", () => {
    for (const p of PERMISSIONS) expect(can("admin", p)).toBe(true);
  });
});
