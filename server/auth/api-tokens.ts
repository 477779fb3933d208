import type { Db } from "../db/client";
import { newSecret, sha256 } from "../crypto";
import { AppError } from "../errors";

/** Creates an API token for a user; returns the secret once, stores only its hash. */
export async function createApiToken(db: Db, opts: { userId: string; name: string; expiresAt?: Date | null }) {
  const token = newSecret("pat");
  const row = await db.apiToken.create({
    data: { userId: opts.userId, name: opts.name, tokenHash: sha256(token), prefix: token.slice(0, 10), expiresAt: opts.expiresAt ?? null },
  });
  return { id: row.id, token };
}

/** Resolves a presented bearer token to its user, or throws UNAUTHORIZED with the reason. */
export async function verifyApiToken(db: Db, token: string, now = new Date()) {
  if (!/^pat_[A-Za-z0-9_-]{43}$/.test(token)) throw new AppError("UNAUTHORIZED", "malformed API token");
  const row = await db.apiToken.findUnique({ where: { tokenHash: sha256(token) }, include: { user: true } });
  if (!row) throw new AppError("UNAUTHORIZED", "unknown API token");
  if (row.revokedAt) throw new AppError("UNAUTHORIZED", "API token revoked");
  if (row.expiresAt && row.expiresAt <= now) throw new AppError("UNAUTHORIZED", "API token expired");
  if (row.user.disabled) throw new AppError("UNAUTHORIZED", "user disabled");
  // Coarse last-use tracking: one write per minute per token at most.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { tokenId: row.id, user: row.user };
}
