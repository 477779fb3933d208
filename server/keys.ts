import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export type ServerKey = { publicKey: string; sign(payload: string): string };

/** The server's Ed25519 key: agents pin its public half at enrollment (signed commands build on it). */
export function loadOrCreateServerKey(dataDir: string): ServerKey {
  fs.mkdirSync(dataDir, { recursive: true }); // beside a SQLite file it exists; with PostgreSQL maybe not yet
  const file = path.join(dataDir, "server-key.pem");
  if (!fs.existsSync(file)) {
    const { privateKey } = crypto.generateKeyPairSync("ed25519");
    writeOnce(file, privateKey.export({ type: "pkcs8", format: "pem" }));
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
  if (!fs.existsSync(file)) writeOnce(file, crypto.randomBytes(32).toString("base64url"));
  return fs.readFileSync(file, "utf8").trim();
}

/** Creates the file unless it exists; replicas starting together on one data dir all keep the first one written. */
function writeOnce(file: string, content: string | Buffer): void {
  try {
    fs.writeFileSync(file, content, { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
}

export { verifyEd25519 } from "../agents/protocol/signature";
