/** The one error type of the domain layer; mapped once to tRPC codes and to socket acks. */
export type AppErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "ENROLL_TOKEN_INVALID"
  | "ENROLL_TOKEN_USED"
  | "ENROLL_TOKEN_EXPIRED"
  | "UNKNOWN_KEY"
  | "HOST_REVOKED"
  | "BAD_SIGNATURE"
  | "PROTOCOL_MISMATCH"
  /** The database is locked, unreachable or unreadable: retry later (HTTP 503). */
  | "UNAVAILABLE"
  | "INTERNAL";

// Next bundles its own copy of this module, so `instanceof` fails across the bundle boundary:
// errors are recognised by a global brand instead.
const BRAND = Symbol.for("portolan.app-error");

export class AppError extends Error {
  readonly [BRAND] = true;
  constructor(
    readonly code: AppErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export function isAppError(err: unknown): err is AppError {
  return typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[BRAND] === true;
}

export function errorBody(err: unknown): { code: string; message: string } {
  if (isAppError(err)) return { code: err.code, message: err.message };
  return { code: "INTERNAL", message: "internal error" };
}
