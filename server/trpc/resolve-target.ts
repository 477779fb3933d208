import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { Container } from "../../agents/protocol";
import type { Services } from "../services";

export type ResolvedTarget = { hostId: string; container: Container | null; mismatch: string | null };

const ZHostRef = z.object({ hostId: z.string().min(1).max(64) });
const ZContainerRef = z.object({
  hostId: z.string().min(1).max(64).optional(),
  // A full or abbreviated id, or a Docker container name; nothing else can reach a Docker API path.
  containerId: z.string().regex(/^(?:[a-f0-9]{12,64}|[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127})$/, "not a container id or name"),
});

/**
 * Finds the host a procedure acts on from the server's own state. A caller's hostId is never trusted
 * alone: a container is looked up by id across the fleet, and only names (which are unique per host,
 * not per fleet) are looked up on the host the caller names.
 */
export async function resolveTarget(services: Services, scope: "host" | "container", raw: unknown): Promise<ResolvedTarget> {
  if (scope === "host") {
    const parsed = ZHostRef.safeParse(raw);
    if (!parsed.success) throw new TRPCError({ code: "BAD_REQUEST", message: "hostId is required", cause: parsed.error });
    return { hostId: parsed.data.hostId, container: null, mismatch: null };
  }
  const parsed = ZContainerRef.safeParse(raw);
  if (!parsed.success) throw new TRPCError({ code: "BAD_REQUEST", message: `containerId: ${parsed.error.issues[0]?.message ?? "invalid"}`, cause: parsed.error });
  const { hostId: claimed, containerId } = parsed.data;

  const byId = findById(services, containerId);
  if (byId) {
    const mismatch = claimed && claimed !== byId.hostId ? `container ${containerId} is not on host ${claimed}` : null;
    return { hostId: byId.hostId, container: byId.container, mismatch };
  }
  if (!claimed) throw new TRPCError({ code: "NOT_FOUND", message: `no container ${containerId} (name a host to look a container up by name)` });
  const container = [...(services.registry.get(claimed)?.containers.values() ?? [])].find((c) => c.name === containerId) ?? null;
  return { hostId: claimed, container, mismatch: container ? null : `no container ${containerId} on host ${claimed}` };
}

function findById(services: Services, ref: string): { hostId: string; container: Container } | null {
  if (!/^[a-f0-9]{12,64}$/.test(ref)) return null;
  const matches: { hostId: string; container: Container }[] = [];
  for (const host of services.registry.all()) {
    for (const c of host.containers.values()) if (c.id.startsWith(ref)) matches.push({ hostId: host.hostId, container: c });
  }
  if (matches.length > 1) throw new TRPCError({ code: "BAD_REQUEST", message: `container id ${ref} is ambiguous; use more characters` });
  return matches[0] ?? null;
}
