import { z } from "zod";
import { ZImageRef, ZImageReference, ZLabelFilter } from "../../../agents/protocol";
import { pullImage } from "../../domain/commands/pull-image";
import { runControl } from "../../domain/commands/run-control";
import { queryAgent } from "../../domain/queries/query-agent";
import { hostProcedure, router } from "../init";
import { commandActor, mapControlErrors } from "./control";

const ZHostId = z.string().min(1).max(64);

export const imagesRouter = router({
  /** Images of one host, each with the containers that use it. */
  list: hostProcedure("image:read")
    .use(mapControlErrors)
    .input(z.object({ hostId: ZHostId }))
    .query(({ ctx, input }) => queryAgent({ db: ctx.services.db, links: ctx.services.commands.links }, input.hostId, { query: "images.list", params: {} })),

  remove: hostProcedure("image:write")
    .use(mapControlErrors)
    .input(z.object({ hostId: ZHostId, imageId: ZImageRef, force: z.boolean().optional() }))
    .mutation(({ ctx, input }) =>
      runControl(ctx.services, { hostId: input.hostId, action: "image.remove", params: { imageId: input.imageId, force: input.force }, actor: commandActor(ctx) }),
    ),

  /** Dangling images, or every image no container uses when `all`. */
  prune: hostProcedure("image:write")
    .use(mapControlErrors)
    .input(z.object({ hostId: ZHostId, all: z.boolean().optional(), label: ZLabelFilter.optional() }))
    .mutation(({ ctx, input: { hostId, ...params } }) => runControl(ctx.services, { hostId, action: "image.prune", params, actor: commandActor(ctx) })),

  /** Progress goes out as `operation:progress` on /live; a host without registry access fails with the engine's words. */
  pull: hostProcedure("image:write")
    .use(mapControlErrors)
    .input(z.object({ hostId: ZHostId, reference: ZImageReference }))
    .mutation(({ ctx, input }) => pullImage(ctx.services, { hostId: input.hostId, reference: input.reference, actor: commandActor(ctx) })),
});
