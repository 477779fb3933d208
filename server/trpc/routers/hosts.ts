import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { recordAudit } from "../../domain/audit/record-audit";
import { agentCommand, createEnrollmentToken } from "../../domain/enrollment/create-enrollment-token";
import { getHost, listHosts } from "../../domain/hosts/host-views";
import { revokeHost } from "../../domain/hosts/revoke-host";
import { can } from "../../auth/access";
import { auditActor, globalProcedure, hostProcedure, listProcedure, router } from "../init";

const ZHostId = z.object({ hostId: z.string().min(1).max(64) });

export const hostsRouter = router({
  /** Hosts the caller may read. */
  list: listProcedure("host:read").query(async ({ ctx }) => (await listHosts(ctx.services)).filter((h) => can(ctx.actor.access, "host:read", h.id))),

  get: hostProcedure("host:read")
    .input(ZHostId)
    .query(async ({ ctx, input }) => {
      const host = await getHost(ctx.services, input.hostId);
      if (!host) throw new TRPCError({ code: "NOT_FOUND", message: "no such host" });
      return host;
    }),

  /** "Add host": a one-time enrollment token and the exact command to run on the new host. */
  createEnrollment: globalProcedure("host:enroll")
    .input(z.object({ name: z.string().trim().min(1).max(64).regex(/^[\w.@ -]+$/, "letters, digits, space and . _ - @ only") }))
    .mutation(async ({ ctx, input }) => {
      const { services, actor } = ctx;
      const enrollment = await createEnrollmentToken(services.db, { hostName: input.name, createdById: actor.id });
      await recordAudit(services.db, {
        ...auditActor(ctx), action: "host.create-enrollment", target: input.name, result: "ok",
      });
      const serverUrl = services.config.publicUrl ?? ctx.requestOrigin ?? `http://${services.config.host}:${services.config.port}`;
      return { ...enrollment, expiresAt: enrollment.expiresAt.toISOString(), command: agentCommand(serverUrl, enrollment.token) };
    }),

  revoke: hostProcedure("host:revoke")
    .input(ZHostId)
    .mutation(async ({ ctx, input }) => {
      const { services } = ctx;
      await recordAudit(services.db, {
        ...auditActor(ctx), hostId: input.hostId, action: "host.revoke", target: input.hostId, result: "ok",
      });
      await revokeHost(services, input.hostId);
      return { ok: true as const };
    }),
});
