import crypto from "node:crypto";
import { io, type Socket } from "socket.io-client";
import { AGENT_NAMESPACE, PROTOCOL_VERSION, challengePayload, type Ack, type AuthChallenge } from "../../agents/protocol";

/** A hand-driven agent connection for protocol tests: real keys, arbitrary (even hostile) messages. */
export class RawAgent {
  readonly socket: Socket;
  readonly publicKey: string;
  private readonly privateKey: crypto.KeyObject;
  private challenge: Promise<AuthChallenge>;

  constructor(url: string, keyPair = crypto.generateKeyPairSync("ed25519")) {
    this.privateKey = keyPair.privateKey;
    this.publicKey = keyPair.publicKey.export({ type: "spki", format: "der" }).toString("base64");
    this.socket = io(url + AGENT_NAMESPACE, { transports: ["websocket"], reconnection: false, forceNew: true });
    this.challenge = new Promise((resolve) => this.socket.once("auth:challenge", resolve));
  }

  sign(payload: string): string {
    return crypto.sign(null, Buffer.from(payload), this.privateKey).toString("base64");
  }

  async enroll(token: string): Promise<Ack<{ hostId: string; hostName: string }>> {
    const { nonce } = await this.challenge;
    return this.send("auth:response", { mode: "enroll", protocolVersion: PROTOCOL_VERSION, token, publicKey: this.publicKey, signature: this.sign(challengePayload(nonce)) });
  }

  async login(): Promise<Ack<{ hostId: string; hostName: string }>> {
    const { nonce } = await this.challenge;
    return this.send("auth:response", { mode: "key", protocolVersion: PROTOCOL_VERSION, publicKey: this.publicKey, signature: this.sign(challengePayload(nonce)) });
  }

  async nonce(): Promise<string> {
    return (await this.challenge).nonce;
  }

  send<T>(event: string, payload: unknown): Promise<Ack<T>> {
    return this.socket.timeout(10_000).emitWithAck(event, payload) as Promise<Ack<T>>;
  }

  close(): void {
    this.socket.disconnect();
  }
}

export function keyPair() {
  return crypto.generateKeyPairSync("ed25519");
}
