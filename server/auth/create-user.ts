import type { Db } from "../db/client";
import { AppError } from "../errors";
import { PASSWORD_MAX, PASSWORD_MIN, type Auth } from "./auth";

export type Role = "admin" | "operator" | "viewer";

/** Creates a user with an email/password credential, hashed the way better-auth verifies it. */
export async function createUser(
  deps: { db: Db; auth: Auth },
  opts: { email: string; password: string; name?: string; role: Role },
): Promise<{ id: string; email: string }> {
  if (opts.password.length < PASSWORD_MIN || opts.password.length > PASSWORD_MAX) {
    throw new AppError("BAD_REQUEST", `password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`);
  }
  const email = opts.email.trim().toLowerCase();
  if (await deps.db.user.findUnique({ where: { email } })) throw new AppError("CONFLICT", `a user ${email} already exists`);
  const ctx = await deps.auth.$context;
  const hash = await ctx.password.hash(opts.password);
  const user = await ctx.internalAdapter.createUser({ email, name: opts.name ?? email.split("@")[0] ?? email, emailVerified: true }, { method: "admin" });
  await ctx.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: hash });
  await deps.db.user.update({ where: { id: user.id }, data: { role: opts.role } });
  return { id: user.id, email };
}
