import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { isSameOrigin } from "../../../../server/http/same-origin";
import { getServices } from "../../../../server/services";
import { createContext } from "../../../../server/trpc/context";
import { appRouter } from "../../../../server/trpc/router";

export const dynamic = "force-dynamic";

function handler(req: Request) {
  const services = getServices();
  const usesCookie = !req.headers.get("authorization");
  if (req.method === "POST") {
    if (!req.headers.get("content-type")?.startsWith("application/json")) {
      return Response.json({ error: { message: "mutations must be JSON POSTs" } }, { status: 415 });
    }
    if (usesCookie && !isSameOrigin(req.headers, req.url)) {
      return Response.json({ error: { message: "cross-origin request refused" } }, { status: 403 });
    }
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createContext(services, req),
    allowMethodOverride: false,
  });
}

export { handler as GET, handler as POST };
