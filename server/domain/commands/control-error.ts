/**
 * A control operation that did not happen, with the agent's code (`NO_SUCH_IMAGE`, `CONFLICT`,
 * `HOST_OFFLINE`…) and Docker's own words. The API layer maps codes to HTTP meaning once.
 */
export class ControlError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ControlError";
  }
}

export type ControlErrorKind = "NOT_FOUND" | "CONFLICT" | "BAD_REQUEST" | "PRECONDITION_FAILED" | "GATEWAY_TIMEOUT" | "SERVICE_UNAVAILABLE" | "BAD_GATEWAY";

/** What an agent's or engine's error code means to an API caller. */
export function controlErrorKind(code: string): ControlErrorKind {
  if (code === "HOST_OFFLINE") return "PRECONDITION_FAILED";
  if (code.startsWith("NO_SUCH_") || code === "NOT_FOUND") return "NOT_FOUND";
  if (code === "CONFLICT" || code === "NOT_MODIFIED" || code === "IN_USE") return "CONFLICT";
  if (code === "BAD_COMMAND" || code === "BAD_REQUEST" || code === "UNSUPPORTED") return "BAD_REQUEST";
  if (code === "NO_REPLY" || code === "UNKNOWN_OUTCOME" || code === "TIMEOUT") return "GATEWAY_TIMEOUT";
  if (code === "RUNTIME_UNAVAILABLE") return "SERVICE_UNAVAILABLE";
  return "BAD_GATEWAY"; // the engine or agent failed: its words are kept in the message
}

export function hostOffline(hostName: string): ControlError {
  return new ControlError("HOST_OFFLINE", `host ${hostName} is offline`);
}

export function isControlError(err: unknown): err is ControlError {
  return err instanceof Error && err.name === "ControlError" && typeof (err as ControlError).code === "string";
}
