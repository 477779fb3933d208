import { z } from "zod";
import { describeAccess } from "../../auth/access";
import { PASSWORD_MAX, PASSWORD_MIN } from "../../auth/auth";
import { authenticatedProcedure, publicProcedure, router } from "../init";

export const sessionRouter = router({
  /** Who is calling and what they may do (the browser hides what the server would refuse). */
  me: authenticatedProcedure.query(({ ctx }) => {
    const { id, email, name, via, access } = ctx.actor;
    return { id, email, name, via, access: describeAccess(access) };
  }),

  /** Whether the first-run setup page should be shown. */
  setupStatus: publicProcedure.query(async ({ ctx }) => ({ needsSetup: await ctx.services.firstRun.needsSetup() })),

  completeSetup: publicProcedure
    .input(
      z.object({
        code: z.string().trim().min(4).max(64),
        email: z.email().max(254),
        password: z.string().min(PASSWORD_MIN).max(PASSWORD_MAX),
        name: z.string().trim().max(64).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const user = await ctx.services.firstRun.complete({ ...input, sourceIp: ctx.sourceIp });
      return { email: user.email };
    }),
});
