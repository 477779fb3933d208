import { can, type Access } from "../../auth/access";
import { isHostPermission, type Permission } from "../../auth/permissions";
import type { Db } from "../../db/client";

/**
 * "Nobody can grant more than they hold": the permissions of `perms` the actor does not hold on every
 * host of the group (all hosts for an all-hosts group; global permissions only from all-hosts grants).
 */
export async function missingToGrant(db: Db, access: Access, perms: readonly Permission[], groupId: string): Promise<Permission[]> {
  const group = await db.hostGroup.findUnique({ where: { id: groupId }, include: { hosts: { select: { hostId: true } } } });
  if (!group) return [...perms];
  const hostIds = group.hosts.map((h) => h.hostId);
  return perms.filter((p) => {
    if (!isHostPermission(p) || group.allHosts) return !(isHostPermission(p) ? access.everywhere.has(p) : access.global.has(p));
    // A group can gain hosts later, so holding the permission on today's members is not enough:
    // it must hold everywhere, or on every member and the group must be non-empty.
    if (access.everywhere.has(p)) return false;
    return hostIds.length === 0 || !hostIds.every((h) => can(access, p, h));
  });
}

/** For role edits: a custom role's permissions may reach any host, so each must be held everywhere. */
export function missingEverywhere(access: Access, perms: readonly Permission[]): Permission[] {
  return perms.filter((p) => !(isHostPermission(p) ? access.everywhere.has(p) : access.global.has(p)));
}
