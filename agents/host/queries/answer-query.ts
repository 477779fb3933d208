import type { Ack } from "../../protocol";
import { firstIssue } from "../../protocol/commands";
import { ZAgentQuery } from "../../protocol/queries";
import type { Logger } from "../log";
import type { ContainerRuntime } from "../runtime/container-runtime";
import { RuntimeError } from "../runtime/runtime-error";

/** Answers one read from the server: only allow-listed queries with valid params reach the runtime. */
export async function answerQuery(raw: unknown, deps: { runtime: ContainerRuntime; log: Logger }): Promise<Ack<unknown>> {
  const parsed = ZAgentQuery.safeParse(raw);
  if (!parsed.success) {
    deps.log.warn("refused a query", { reason: firstIssue(parsed.error) });
    return { ok: false, error: { code: "BAD_QUERY", message: `malformed query: ${firstIssue(parsed.error)}` } };
  }
  try {
    return { ok: true, data: await deps.runtime.query(parsed.data) };
  } catch (err) {
    if (err instanceof RuntimeError) return { ok: false, error: { code: err.code, message: err.message } };
    deps.log.error("query failed", { query: parsed.data.query, error: (err as Error).message });
    return { ok: false, error: { code: "DOCKER_ERROR", message: (err as Error).message.slice(0, 1000) } };
  }
}
