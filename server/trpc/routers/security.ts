import { z } from "zod";
import { can } from "../../auth/access";
import { fleetPosture } from "../../domain/inspector/fleet-posture";
import { queryAgent } from "../../domain/queries/query-agent";
import { containerProcedure, listProcedure, router } from "../init";
import { mapControlErrors } from "./control";

const ZHostId = z.string().min(1).max(64);

export const securityRouter = router({
  /** One container's isolation as the kernel enforces it (namespaces, cgroup, capabilities, seccomp…) and its posture findings. */
  container: containerProcedure("container:read")
    .use(mapControlErrors)
    .input(z.object({ hostId: ZHostId.optional(), containerId: z.string().min(1).max(128) }))
    .query(({ ctx }) =>
      queryAgent({ db: ctx.services.db, links: ctx.services.commands.links }, ctx.target.hostId, { query: "container.security", params: { containerId: ctx.target.container!.id } })),

  /** Posture findings of every container the caller may read, per host; one host failing is reported, not thrown. */
  fleet: listProcedure("container:read")
    .input(z.object({ hostId: ZHostId.optional() }).optional())
    .query(async ({ ctx, input }) => {
      const hosts = await ctx.services.db.host.findMany({ where: { revokedAt: null, ...(input?.hostId ? { id: input.hostId } : {}) }, select: { id: true } });
      const readable = hosts.map((h) => h.id).filter((id) => can(ctx.actor.access, "container:read", id));
      return fleetPosture({ db: ctx.services.db, links: ctx.services.commands.links, registry: ctx.services.registry }, readable);
    }),
});
