/** Bumped on any incompatible change to the wire contract; additive changes keep it. */
export const PROTOCOL_VERSION = 1;

/** Agents speaking a different major version are refused at authentication. */
export const AGENT_NAMESPACE = "/agent";

/** Largest single message either side accepts (socket.io maxHttpBufferSize). */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** What the agent signs to prove possession of its key: bound to the nonce and the protocol. */
export function challengePayload(nonce: string): string {
  return `portolan-agent-auth:v${PROTOCOL_VERSION}:${nonce}`;
}
