import { resolveActor } from "../auth/resolve-actor";
import { databaseUnavailable } from "../domain/db-errors";
import { isAppError } from "../errors";
import type { Services } from "../services";
import type { Context } from "./init";
import { TRPCError } from "@trpc/server";

/** Builds the request context: who is calling (token or session) and from where. */
export async function createContext(services: Services, req: Request): Promise<Context> {
  let actor = null;
  try {
    actor = await resolveActor(services, req.headers, req.headers.get("x-portolan-peer") ?? null);
  } catch (err) {
    if (isAppError(err)) throw new TRPCError({ code: "UNAUTHORIZED", message: err.message });
    const unavailable = databaseUnavailable(err);
    if (unavailable) throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: unavailable.message, cause: err });
    throw err;
  }
  return {
    services,
    actor,
    // Set by the custom server from the socket, or from a configured proxy's X-Forwarded-For.
    sourceIp: req.headers.get("x-portolan-peer") ?? null,
    requestOrigin: new URL(req.url).origin,
  };
}
