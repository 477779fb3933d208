import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import type { HostRegistry } from "../../realtime/host-registry";

/** Revokes a host: its key stops working at once and its live connection is closed by the caller. */
export async function revokeHost(deps: { db: Db; registry: HostRegistry }, hostId: string): Promise<void> {
  const result = await deps.db.host.updateMany({ where: { id: hostId, revokedAt: null }, data: { revokedAt: new Date() } });
  if (result.count === 0) throw new AppError("NOT_FOUND", "no such host");
  deps.registry.forget(hostId);
}
