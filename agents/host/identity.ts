import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/** What the agent remembers between runs. The private key never leaves this directory. */
const ZEnrollment = z.object({
  hostId: z.string(),
  hostName: z.string(),
  serverUrl: z.string(),
  serverPublicKey: z.string(),
  enrolledAt: z.string(),
});
export type Enrollment = z.infer<typeof ZEnrollment>;

export type AgentIdentity = {
  publicKey: string;
  sign(payload: string): string;
};

const KEY_FILE = "agent-key.pem";
const ENROLLMENT_FILE = "enrollment.json";

export async function loadOrCreateIdentity(stateDir: string): Promise<AgentIdentity> {
  await fs.mkdir(stateDir, { recursive: true, mode: 0o700 });
  const keyPath = path.join(stateDir, KEY_FILE);
  let pem: string;
  try {
    pem = await fs.readFile(keyPath, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    const { privateKey } = crypto.generateKeyPairSync("ed25519");
    pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    // "wx": never overwrite a key another process wrote a moment ago.
    await fs.writeFile(keyPath, pem, { mode: 0o600, flag: "wx" });
  }
  await fs.chmod(keyPath, 0o600);
  const privateKey = crypto.createPrivateKey(pem);
  const publicKey = crypto.createPublicKey(privateKey).export({ type: "spki", format: "der" }).toString("base64");
  return {
    publicKey,
    sign: (payload) => crypto.sign(null, Buffer.from(payload), privateKey).toString("base64"),
  };
}

export async function readEnrollment(stateDir: string): Promise<Enrollment | null> {
  try {
    return ZEnrollment.parse(JSON.parse(await fs.readFile(path.join(stateDir, ENROLLMENT_FILE), "utf8")));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new Error(`unreadable enrollment state in ${stateDir}: ${(err as Error).message}`);
  }
}

export async function writeEnrollment(stateDir: string, enrollment: Enrollment): Promise<void> {
  const file = path.join(stateDir, ENROLLMENT_FILE);
  await fs.writeFile(file + ".tmp", JSON.stringify(enrollment, null, 2), { mode: 0o600 });
  await fs.rename(file + ".tmp", file);
}
