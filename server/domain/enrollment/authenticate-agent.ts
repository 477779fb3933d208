import { PROTOCOL_VERSION, challengePayload, type AuthResponse } from "../../../agents/protocol";
import type { Db } from "../../db/client";
import { sha256 } from "../../crypto";
import { AppError } from "../../errors";
import { verifyEd25519 } from "../../keys";

export type AuthenticatedHost = { hostId: string; hostName: string; enrolled: boolean };

/**
 * Checks an agent's answer to a challenge. Enrollment consumes the token atomically and binds the key
 * to a new host; later connections prove possession of an enrolled key. Throws AppError otherwise.
 */
export async function authenticateAgent(
  db: Db,
  opts: { response: AuthResponse; nonce: string; address: string | null; now?: Date },
): Promise<AuthenticatedHost> {
  const { response, nonce } = opts;
  const now = opts.now ?? new Date();
  if (response.protocolVersion !== PROTOCOL_VERSION) {
    throw new AppError("PROTOCOL_MISMATCH", `agent speaks protocol v${response.protocolVersion}, server v${PROTOCOL_VERSION}`);
  }
  if (!verifyEd25519(response.publicKey, challengePayload(nonce), response.signature)) {
    throw new AppError("BAD_SIGNATURE", "signature does not match the presented key");
  }
  if (response.mode === "key") return authenticateKnownKey(db, response.publicKey, now, opts.address);
  return enroll(db, response.token, response.publicKey, now, opts.address);
}

async function authenticateKnownKey(db: Db, publicKey: string, now: Date, address: string | null): Promise<AuthenticatedHost> {
  const host = await db.host.findUnique({ where: { publicKey } });
  if (!host) throw new AppError("UNKNOWN_KEY", "this agent's key is not enrolled (was the host removed?)");
  if (host.revokedAt) throw new AppError("HOST_REVOKED", "this host was revoked by an administrator");
  await db.host.update({ where: { id: host.id }, data: { lastSeenAt: now, lastAddress: address } });
  return { hostId: host.id, hostName: host.name, enrolled: false };
}

async function enroll(db: Db, token: string, publicKey: string, now: Date, address: string | null): Promise<AuthenticatedHost> {
  const tokenHash = sha256(token);
  return db.$transaction(async (tx) => {
    // Conditional update = atomic consume: of two racing agents, exactly one sees count 1.
    const consumed = await tx.enrollmentToken.updateMany({
      where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (consumed.count !== 1) {
      const existing = await tx.enrollmentToken.findUnique({ where: { tokenHash } });
      if (!existing) throw new AppError("ENROLL_TOKEN_INVALID", "enrollment token not recognised");
      if (existing.usedAt) throw new AppError("ENROLL_TOKEN_USED", "enrollment token was already used");
      throw new AppError("ENROLL_TOKEN_EXPIRED", "enrollment token expired; create a new one with Add host");
    }
    if (await tx.host.findUnique({ where: { publicKey } })) {
      throw new AppError("CONFLICT", "this agent key is already enrolled");
    }
    const record = await tx.enrollmentToken.findUniqueOrThrow({ where: { tokenHash } });
    const host = await tx.host.create({
      data: { name: record.hostName, publicKey, enrolledById: record.createdById, lastSeenAt: now, lastAddress: address },
    });
    await tx.enrollmentToken.update({ where: { id: record.id }, data: { hostId: host.id } });
    return { hostId: host.id, hostName: host.name, enrolled: true };
  });
}
