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
  | "INTERNAL";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export function errorBody(err: unknown): { code: string; message: string } {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  return { code: "INTERNAL", message: "internal error" };
}
