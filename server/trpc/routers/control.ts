import { TRPCError } from "@trpc/server";
import type { Actor } from "../../auth/resolve-actor";
import type { CommandActor } from "../../domain/commands/command-service";
import { controlErrorKind, isControlError } from "../../domain/commands/control-error";
import { auditActor, type Context } from "../init";

/**
 * For control procedures: an operation the agent or engine refused becomes a tRPC error with its
 * meaning (no such image → NOT_FOUND, name taken → CONFLICT, host offline → PRECONDITION_FAILED),
 * keeping Docker's words as the message.
 */
export async function mapControlErrors<T extends { ok: boolean }>({ next }: { next: () => Promise<T> }): Promise<T> {
  const result = await next();
  const cause = !result.ok ? (result as unknown as { error: { cause?: unknown } }).error.cause : undefined;
  if (isControlError(cause)) throw new TRPCError({ code: controlErrorKind(cause.code), message: cause.message, cause });
  return result;
}

/** The caller as a signed command names it. */
export function commandActor(ctx: Context & { actor: Actor }): CommandActor {
  return { id: ctx.actor.id, email: auditActor(ctx).actor, sourceIp: ctx.sourceIp };
}
