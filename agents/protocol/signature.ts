import crypto from "node:crypto";

/**
 * Verifies an Ed25519 signature by a base64 SPKI-DER public key; false for any malformed input.
 * One definition for both sides: the server checks agents' challenge answers, agents check commands.
 */
export function verifyEd25519(publicKey: string, payload: string, signature: string): boolean {
  try {
    const key = crypto.createPublicKey({ key: Buffer.from(publicKey, "base64"), format: "der", type: "spki" });
    if (key.asymmetricKeyType !== "ed25519") return false;
    return crypto.verify(null, Buffer.from(payload), key, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}
