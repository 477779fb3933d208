import type { Role } from "./create-user";

/** Every permission a procedure or socket event can require. */
export const PERMISSIONS = ["host:read", "container:read", "host:enroll", "host:revoke", "audit:read"] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  operator: ["host:read", "container:read"],
  viewer: ["host:read", "container:read"],
};

/** The one policy function: deny by default. */
export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
