import type { Db } from "../db/client";
import { newSecret, sha256 } from "../crypto";
import { recordAudit } from "../domain/audit/record-audit";
import { AppError } from "../errors";

export const TOKEN_PATTERN = /^pat_[A-Za-z0-9_-]{43}$/;

/** A fresh token secret and what is stored of it (never the secret itself). */
export function mintApiToken(): { token: string; tokenHash: string; prefix: string } {
  const token = newSecret("pat");
  return { token, tokenHash: sha256(token), prefix: token.slice(0, 10) };
}

/** Creates an unrestricted API token for a user (the CLI's path); returns the secret once. */
export async function createApiToken(db: Db, opts: { userId: string; name: string; expiresAt?: Date | null }) {
  const { token, tokenHash, prefix } = mintApiToken();
  const row = await db.apiToken.create({ data: { userId: opts.userId, name: opts.name, tokenHash, prefix, expiresAt: opts.expiresAt ?? null } });
  return { id: row.id, token };
}

/** Resolves a presented bearer token to its user, or throws UNAUTHORIZED with the reason. */
export async function verifyApiToken(db: Db, token: string, opts: { sourceIp?: string | null; now?: Date } = {}) {
  const now = opts.now ?? new Date();
  if (!TOKEN_PATTERN.test(token)) throw new AppError("UNAUTHORIZED", "malformed API token");
  const row = await db.apiToken.findUnique({ where: { tokenHash: sha256(token) }, include: { user: true } });
  if (!row) throw new AppError("UNAUTHORIZED", "unknown API token");
  if (row.revokedAt) throw new AppError("UNAUTHORIZED", "API token revoked");
  if (row.expiresAt && row.expiresAt <= now) throw new AppError("UNAUTHORIZED", "API token expired");
  if (row.user.disabled) throw new AppError("UNAUTHORIZED", "user disabled");
  // Token use is audited and tracked coarsely: one write per token per minute at most.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
    await recordAudit(db, {
      actorId: row.userId, actor: row.user.email, sourceIp: opts.sourceIp ?? null, action: "token.use", target: `${row.name} (${row.prefix}…)`, result: "ok",
    });
  }
  return { tokenId: row.id, user: row.user, token: row };
}
