import { z } from "zod";
import { listAudit, verifyAuditChain } from "../../domain/audit/audit-queries";
import { globalProcedure, router } from "../init";
import { ZId } from "../zod-common";

export const ZAuditFilter = z.object({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  actor: z.string().trim().max(254).optional(),
  hostId: ZId.optional(),
  action: z.string().trim().max(64).regex(/^[a-z0-9.:-]*$/, "an action name like container.stop, or a prefix ending in '.'").optional(),
});

export const auditRouter = router({
  list: globalProcedure("audit:read")
    .input(ZAuditFilter.extend({ cursor: z.number().int().positive().optional(), limit: z.number().int().min(1).max(500).default(100) }).default({ limit: 100 }))
    .query(({ ctx, input }) => {
      const { cursor, limit, ...filter } = input;
      return listAudit(ctx.services.db, filter, { cursor, limit });
    }),

  /** Recomputes the hash chain: ok, or the id of the first broken link and why. */
  verify: globalProcedure("audit:read").query(({ ctx }) => verifyAuditChain(ctx.services.db)),
});
