import type { Tx } from "../../db/client";
import { AppError } from "../../errors";
import { ALL_HOSTS_GROUP_ID, BUILTIN_ROLE_IDS } from "../../auth/permissions";

/**
 * Refuses a change that would leave no enabled user holding admin on all hosts: Portolan must never
 * lock its operators out. Runs inside the change's transaction, after the change.
 */
export async function assertAdminRemains(tx: Tx): Promise<void> {
  const admins = await tx.user.count({
    where: {
      disabled: false,
      OR: [
        { grants: { some: { roleId: BUILTIN_ROLE_IDS.admin, hostGroup: { allHosts: true } } } },
        { teams: { some: { team: { grants: { some: { roleId: BUILTIN_ROLE_IDS.admin, hostGroup: { allHosts: true } } } } } } },
      ],
    },
  });
  if (admins === 0) throw new AppError("CONFLICT", "this would leave no enabled admin on all hosts");
}

export { ALL_HOSTS_GROUP_ID };
