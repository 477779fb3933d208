import { z } from "zod";
import { listContainers } from "../../domain/hosts/host-views";
import { procedure, router } from "../init";

export const containersRouter = router({
  /** Containers of one host, or of the whole fleet when hostId is omitted. */
  list: procedure("container:read")
    .input(z.object({ hostId: z.string().min(1).max(64).optional() }).optional())
    .query(({ ctx, input }) => listContainers(ctx.services, input?.hostId)),
});
