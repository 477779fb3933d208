import type { Db } from "../db/client";
import {
  BUILTIN_ROLE_PERMISSIONS,
  isHostPermission,
  isPermission,
  type BuiltinRole,
  type GlobalPermission,
  type HostPermission,
  type Permission,
} from "./permissions";

/**
 * What one caller may do, computed from their grants (direct and through teams) and narrowed by the
 * API token they present. Host permissions hold on every host (`everywhere`) or per host id (`hosts`).
 */
export type Access = {
  global: ReadonlySet<GlobalPermission>;
  everywhere: ReadonlySet<HostPermission>;
  hosts: ReadonlyMap<string, ReadonlySet<HostPermission>>;
};

/** A token's narrowing: null fields mean "not narrowed". */
export type Narrowing = { permissions: Permission[] | null; hostGroupIds: string[] | null };

export const NO_ACCESS: Access = { global: new Set(), everywhere: new Set(), hosts: new Map() };

export function rolePermissions(role: { name: string; builtin: boolean; permissions: string }): Permission[] {
  if (role.builtin) return [...(BUILTIN_ROLE_PERMISSIONS[role.name as BuiltinRole] ?? [])];
  return parsePermissionList(role.permissions);
}

export function parsePermissionList(json: string | null): Permission[] {
  if (!json) return [];
  try {
    const list: unknown = JSON.parse(json);
    return Array.isArray(list) ? list.filter((p): p is Permission => typeof p === "string" && isPermission(p)) : [];
  } catch {
    return [];
  }
}

/** Loads a user's access from the database; one query for grants with their roles and group members. */
export async function loadAccess(db: Db, userId: string, narrowing: Narrowing | null = null): Promise<Access> {
  const grants = await db.grant.findMany({
    where: { OR: [{ userId }, { team: { members: { some: { userId } } } }] },
    include: { role: true, hostGroup: { include: { hosts: { select: { hostId: true } } } } },
  });
  const allowed = narrowing?.permissions ? new Set<Permission>(narrowing.permissions) : null;
  const groupFilter = narrowing?.hostGroupIds ? new Set(narrowing.hostGroupIds) : null;
  const global = new Set<GlobalPermission>();
  const everywhere = new Set<HostPermission>();
  const hosts = new Map<string, Set<HostPermission>>();

  // A token narrowed to host groups only reaches hosts in those groups, and no global permission
  // unless one of its groups is an all-hosts group.
  const tokenGroups = groupFilter
    ? await db.hostGroup.findMany({ where: { id: { in: [...groupFilter] } }, include: { hosts: { select: { hostId: true } } } })
    : null;
  const tokenEverywhere = !tokenGroups || tokenGroups.some((g) => g.allHosts);
  const tokenHosts = new Set(tokenGroups?.flatMap((g) => g.hosts.map((h) => h.hostId)) ?? []);

  for (const grant of grants) {
    const perms = rolePermissions(grant.role).filter((p) => !allowed || allowed.has(p));
    const group = grant.hostGroup;
    for (const p of perms) {
      if (!isHostPermission(p)) {
        if (group.allHosts && tokenEverywhere) global.add(p);
        continue;
      }
      if (group.allHosts && tokenEverywhere) {
        everywhere.add(p);
        continue;
      }
      const reach = group.allHosts ? [...tokenHosts] : group.hosts.map((h) => h.hostId).filter((id) => tokenEverywhere || tokenHosts.has(id));
      for (const hostId of reach) {
        const set = hosts.get(hostId) ?? new Set<HostPermission>();
        set.add(p);
        hosts.set(hostId, set);
      }
    }
  }
  return { global, everywhere, hosts };
}

/** The one policy function: deny by default. Host permissions need the host the action touches. */
export function can(access: Access, permission: Permission, hostId?: string | null): boolean {
  if (!isHostPermission(permission)) return access.global.has(permission);
  if (access.everywhere.has(permission)) return true;
  return hostId != null && (access.hosts.get(hostId)?.has(permission) ?? false);
}

/** Whether the permission holds on at least one host (or globally): used for menus and list endpoints. */
export function canSomewhere(access: Access, permission: Permission): boolean {
  if (!isHostPermission(permission)) return access.global.has(permission);
  if (access.everywhere.has(permission)) return true;
  for (const set of access.hosts.values()) if (set.has(permission)) return true;
  return false;
}

/** Every permission the caller holds on one host (host-scoped) plus their global ones. */
export function permissionsOn(access: Access, hostId: string): HostPermission[] {
  return [...new Set([...access.everywhere, ...(access.hosts.get(hostId) ?? [])])];
}

/** A JSON-friendly view for the browser, which hides buttons the server would refuse anyway. */
export function describeAccess(access: Access): { global: string[]; everywhere: string[]; hosts: Record<string, string[]> } {
  return {
    global: [...access.global],
    everywhere: [...access.everywhere],
    hosts: Object.fromEntries([...access.hosts].map(([id, set]) => [id, [...set]])),
  };
}
