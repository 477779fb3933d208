import type { ContainerSpec } from "../../../agents/protocol";
import { can, type Access } from "../../auth/access";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { recordAudit, type AuditEntry } from "../audit/record-audit";
import { isolationRisks, type IsolationRisk } from "./isolation-policy";

/**
 * The one gate every create path passes: a spec that weakens isolation needs
 * `container:create:privileged` on the host. Refusals are audited and name every risk, one per line.
 * Returns the risks the caller is allowed to accept (for the command's audit entry).
 */
export async function checkIsolation(
  deps: { db: Db },
  opts: { access: Access; hostId: string; spec: ContainerSpec; who: Pick<AuditEntry, "actorId" | "actor" | "sourceIp">; path: string },
): Promise<IsolationRisk[]> {
  const risks = isolationRisks(opts.spec);
  if (risks.length === 0 || can(opts.access, "container:create:privileged", opts.hostId)) return risks;
  await recordAudit(deps.db, {
    ...opts.who,
    hostId: opts.hostId,
    action: "authz.denied",
    target: opts.path,
    params: { permission: "container:create:privileged", risks: risks.map((r) => r.code) },
    result: "denied",
  });
  const lines = risks.map((r) => `- ${r.message}`).join("\n");
  throw new AppError("FORBIDDEN", `this container weakens isolation and you lack container:create:privileged on host ${opts.hostId}:\n${lines}`);
}
