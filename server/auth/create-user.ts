import type { Db } from "../db/client";
import { AppError } from "../errors";
import { PASSWORD_MAX, PASSWORD_MIN, type Auth } from "./auth";
import { ALL_HOSTS_GROUP_ID, BUILTIN_ROLE_IDS, type BuiltinRole } from "./permissions";

export function assertPasswordPolicy(password: string): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw new AppError("BAD_REQUEST", `password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`);
  }
}

/**
 * Creates a user with an email/password credential, hashed the way better-auth verifies it. A user
 * starts with no access unless `grantOnAllHosts` names a built-in role (first admin, CLI, tests).
 */
export async function createUser(
  deps: { db: Db; auth: Auth },
  opts: { email: string; password: string; name?: string; grantOnAllHosts?: BuiltinRole },
): Promise<{ id: string; email: string }> {
  assertPasswordPolicy(opts.password);
  const email = opts.email.trim().toLowerCase();
  if (await deps.db.user.findUnique({ where: { email } })) throw new AppError("CONFLICT", `a user ${email} already exists`);
  const ctx = await deps.auth.$context;
  const hash = await ctx.password.hash(opts.password);
  const user = await ctx.internalAdapter.createUser({ email, name: opts.name?.trim() || (email.split("@")[0] ?? email), emailVerified: true }, { method: "admin" });
  await ctx.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: hash });
  if (opts.grantOnAllHosts) {
    await deps.db.grant.create({ data: { userId: user.id, roleId: BUILTIN_ROLE_IDS[opts.grantOnAllHosts], hostGroupId: ALL_HOSTS_GROUP_ID } });
  }
  return { id: user.id, email };
}

/** Replaces a user's password hash (admin reset or the user's own change). */
export async function setPassword(deps: { db: Db; auth: Auth }, userId: string, password: string): Promise<void> {
  assertPasswordPolicy(password);
  const ctx = await deps.auth.$context;
  const hash = await ctx.password.hash(password);
  const updated = await deps.db.account.updateMany({ where: { userId, providerId: "credential" }, data: { password: hash } });
  if (updated.count === 0) throw new AppError("NOT_FOUND", "the user has no password credential");
}

/** Checks a user's current password against the stored hash. */
export async function verifyPassword(deps: { db: Db; auth: Auth }, userId: string, password: string): Promise<boolean> {
  const account = await deps.db.account.findFirst({ where: { userId, providerId: "credential" } });
  if (!account?.password) return false;
  const ctx = await deps.auth.$context;
  return ctx.password.verify({ hash: account.password, password });
}
