import { createCallerFactory, router } from "./init";
import { containersRouter } from "./routers/containers";
import { hostsRouter } from "./routers/hosts";
import { sessionRouter } from "./routers/session";

export const appRouter = router({
  hosts: hostsRouter,
  containers: containersRouter,
  session: sessionRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
