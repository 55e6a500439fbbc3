import type { ErrorCode } from "../protocol/errors.js";

/** Failures the SDK itself detects (no server code applies). */
export type ClientErrorCode = "CLIENT_TIMEOUT" | "CLIENT_DISCONNECTED" | "CLIENT_CLOSED" | "CLIENT_HTTP" | "CLIENT_NO_REFRESH_TOKEN";

/**
 * Every rejection of the SDK is one of these: `code` is a server registry code (docs/ERRORS.md) or
 * one of the CLIENT_ codes, `requestId` the server's id for the failed request when there is one.
 */
export class CroupierError extends Error {
  override readonly name = "CroupierError";

  constructor(
    readonly code: ErrorCode | ClientErrorCode | (string & {}),
    message: string,
    readonly requestId?: string,
    readonly details?: readonly string[],
    readonly httpStatus?: number,
  ) {
    super(message);
  }

  /** Errors after which sending the same request again (same actionId) is safe and may succeed. */
  get retryable(): boolean {
    return (
      this.code === "CLIENT_TIMEOUT" ||
      this.code === "CLIENT_DISCONNECTED" ||
      this.code === "CROUPIER_ERR_ROOM_UNAVAILABLE" ||
      this.code === "CROUPIER_ERR_WS_RATE_LIMITED"
    );
  }
}
