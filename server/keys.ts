import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export type ServerKey = { publicKey: string; sign(payload: string): string };

/** The server's Ed25519 key: agents pin its public half at enrollment (signed commands build on it). */
export function loadOrCreateServerKey(dataDir: string): ServerKey {
  const file = path.join(dataDir, "server-key.pem");
  if (!fs.existsSync(file)) {
    const { privateKey } = crypto.generateKeyPairSync("ed25519");
    fs.writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" });
  }
  const privateKey = crypto.createPrivateKey(fs.readFileSync(file, "utf8"));
  return {
    publicKey: crypto.createPublicKey(privateKey).export({ type: "spki", format: "der" }).toString("base64"),
    sign: (payload) => crypto.sign(null, Buffer.from(payload), privateKey).toString("base64"),
  };
}

/** better-auth's signing secret: from the environment, else generated once and kept beside the database. */
export function loadOrCreateAuthSecret(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, "auth-secret");
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
  return fs.readFileSync(file, "utf8").trim();
}

export { verifyEd25519 } from "../agents/protocol/signature";
