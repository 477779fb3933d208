import { ZQueryResults, firstIssue, type AgentQuery, type AgentQueryName, type QueryResult } from "../../../agents/protocol";
import { ZCommandReply } from "../../../agents/protocol";
import type { Db } from "../../db/client";
import type { AgentLinks } from "../../realtime/agent-links";
import { ControlError, hostOffline } from "../commands/control-error";

export type QueryDeps = { db: Db; links: AgentLinks; timeoutMs?: number };

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * Asks a host's agent for a read over its authenticated link and checks the answer with the protocol's
 * schema (agent messages are untrusted input). Offline, silent or failing agents give a ControlError.
 */
export async function queryAgent<Q extends AgentQueryName>(
  deps: QueryDeps,
  hostId: string,
  query: Extract<AgentQuery, { query: Q }>,
): Promise<QueryResult<Q>> {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pending = deps.links.query(hostId, query, timeoutMs);
  if (!pending) throw hostOffline(await hostName(deps.db, hostId));
  const result = await pending;
  if (result.kind === "dropped") throw new ControlError("NO_REPLY", `the link to host ${await hostName(deps.db, hostId)} dropped before it answered`);
  if (result.kind === "timeout") throw new ControlError("NO_REPLY", `host ${await hostName(deps.db, hostId)} did not answer within ${Math.round(timeoutMs / 1000)} s`);
  const reply = ZCommandReply.safeParse(result.reply);
  if (!reply.success) throw new ControlError("BAD_REPLY", `malformed answer from the agent: ${firstIssue(reply.error)}`);
  if (!reply.data.ok) throw new ControlError(reply.data.error.code, reply.data.error.message);
  const data = (ZQueryResults[query.query] as unknown as { safeParse(v: unknown): { success: true; data: QueryResult<Q> } | { success: false; error: Parameters<typeof firstIssue>[0] } }).safeParse(reply.data.data);
  if (!data.success) throw new ControlError("BAD_REPLY", `malformed ${query.query} answer from the agent: ${firstIssue(data.error)}`);
  return data.data;
}

export async function hostName(db: Db, hostId: string): Promise<string> {
  const host = await db.host.findUnique({ where: { id: hostId }, select: { name: true } });
  return host?.name ?? hostId;
}
