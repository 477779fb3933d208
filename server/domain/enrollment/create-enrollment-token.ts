import { agentLaunchCommand } from "../../../agents/host/launch";
import type { Db } from "../../db/client";
import { newSecret, sha256 } from "../../crypto";

export const ENROLLMENT_TTL_MS = 30 * 60 * 1000;

export type NewEnrollment = { token: string; expiresAt: Date; hostName: string };

/** Issues a single-use enrollment token; only its hash is stored, the token is shown once. */
export async function createEnrollmentToken(
  db: Db,
  opts: { hostName: string; createdById: string | null; now?: Date },
): Promise<NewEnrollment> {
  const now = opts.now ?? new Date();
  const token = newSecret("pet");
  const expiresAt = new Date(now.getTime() + ENROLLMENT_TTL_MS);
  await db.enrollmentToken.create({
    data: { tokenHash: sha256(token), hostName: opts.hostName, createdById: opts.createdById, createdAt: now, expiresAt },
  });
  return { token, expiresAt, hostName: opts.hostName };
}

/** The exact shell command an admin runs on the new host. */
export function agentCommand(serverUrl: string, token: string): string {
  return [
    `curl -fsSL -o portolan-agent.cjs ${serverUrl}/downloads/portolan-agent.cjs &&`,
    `PORTOLAN_URL=${serverUrl} PORTOLAN_ENROLL_TOKEN=${token} ${agentLaunchCommand("portolan-agent.cjs")}`,
  ].join(" ");
}
