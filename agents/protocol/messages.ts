import { z } from "zod";
import { ZContainer, ZContainerId } from "./container";
import { ZHostFacts, ZRuntimeStatus } from "./host";

/** Sent by the server right after a socket connects; the agent must answer with a signature. */
export const ZAuthChallenge = z.object({
  nonce: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/),
  serverPublicKey: z.string().max(1024),
});
export type AuthChallenge = z.infer<typeof ZAuthChallenge>;

const ZPublicKey = z.string().min(40).max(1024); // SPKI PEM or base64 DER of an Ed25519 key
const ZSignature = z.string().regex(/^[A-Za-z0-9+/=_-]{40,200}$/);

/** First connection: an enrollment token. Later connections: the enrolled key alone. */
export const ZAuthResponse = z.discriminatedUnion("mode", [
  z.object({
    mode: z.literal("enroll"),
    protocolVersion: z.number().int(),
    token: z.string().regex(/^pet_[A-Za-z0-9_-]{43}$/, "malformed enrollment token"),
    publicKey: ZPublicKey,
    signature: ZSignature,
  }),
  z.object({
    mode: z.literal("key"),
    protocolVersion: z.number().int(),
    publicKey: ZPublicKey,
    signature: ZSignature,
  }),
]);
export type AuthResponse = z.infer<typeof ZAuthResponse>;

export const ZAuthResult = z.object({ hostId: z.string(), hostName: z.string() });
export type AuthResult = z.infer<typeof ZAuthResult>;

/** A complete picture of the host; the server replaces its view with it, never merges. */
export const ZHostSnapshot = z.object({
  generation: z.number().int().nonnegative(),
  facts: ZHostFacts,
  runtime: ZRuntimeStatus,
  containers: z.array(ZContainer).max(20_000),
});
export type HostSnapshot = z.infer<typeof ZHostSnapshot>;

/** A Docker event turned into the new state of one container (or its removal). */
export const ZContainerChange = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("upsert"),
    generation: z.number().int().nonnegative(),
    action: z.string().max(64),
    time: z.number().int(),
    container: ZContainer,
  }),
  z.object({
    kind: z.literal("remove"),
    generation: z.number().int().nonnegative(),
    action: z.string().max(64),
    time: z.number().int(),
    id: ZContainerId,
  }),
]);
export type ContainerChange = z.infer<typeof ZContainerChange>;
