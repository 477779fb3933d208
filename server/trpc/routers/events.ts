import { z } from "zod";
import { listEvents } from "../../domain/events/list-events";
import { listProcedure, router } from "../init";
import { ZId } from "../zod-common";

export const ZEventsListInput = z
  .object({
    hostId: ZId.optional(),
    type: z.string().trim().min(1).max(32).regex(/^[a-z]+$/, "an engine event type such as container or network").optional(),
    /** Part of the action name ("start", "health_status", "exec_"). */
    action: z.string().trim().min(1).max(128).optional(),
    since: z.coerce.date().optional(),
    until: z.coerce.date().optional(),
    cursor: z.string().max(40).optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .default({ limit: 100 });

export const eventsRouter = router({
  /** Docker engine events of the hosts the caller may read, newest first (keyset-paginated). */
  list: listProcedure("host:read")
    .input(ZEventsListInput)
    .query(({ ctx, input }) => {
      const { cursor, limit, ...filter } = input;
      return listEvents(ctx.services.db, ctx.actor.access, filter, { cursor, limit });
    }),
});
