import type { LoginRequest, RegisterRequest, TokenPair, User } from "../protocol/auth.schemas.js";
import { CroupierError } from "./client-error.js";

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{ status: number; ok: boolean; text(): Promise<string> }>;

/** The accounts API over HTTP: register, login, refresh, logout. */
export class AuthHttp {
  constructor(
    private readonly baseUrl: string,
    private readonly fetchImpl: FetchLike,
  ) {}

  register(request: RegisterRequest): Promise<User> {
    return this.post<User>("/v1/auth/register", request);
  }

  login(request: LoginRequest): Promise<TokenPair> {
    return this.post<TokenPair>("/v1/auth/login", request);
  }

  /** Rotates the refresh token: the one passed in is spent, use the pair returned. */
  refresh(refreshToken: string): Promise<TokenPair> {
    return this.post<TokenPair>("/v1/auth/refresh", { refreshToken });
  }

  async logout(accessToken: string): Promise<void> {
    await this.post<unknown>("/v1/auth/logout", undefined, accessToken);
  }

  private post<T>(path: string, body: unknown, token?: string): Promise<T> {
    return requestJson<T>(
      this.fetchImpl,
      this.baseUrl.replace(/\/$/, "") + path,
      { method: "POST", body, ...(token === undefined ? {} : { token }) },
      "CLIENT_HTTP",
    );
  }
}

/**
 * One JSON request: a bearer token and an Idempotency-Key when given; a non-2xx answer becomes a
 * CroupierError with the server's registry code and request id (or `fallbackCode` when the body is
 * not one of ours, such as a proxy's error page).
 */
export async function requestJson<T>(
  fetchImpl: FetchLike,
  url: string,
  request: { method: "GET" | "POST" | "PUT" | "DELETE"; body?: unknown; token?: string; idempotencyKey?: string },
  fallbackCode: string,
): Promise<T> {
  const headers: Record<string, string> = {};
  if (request.body !== undefined) headers["content-type"] = "application/json";
  if (request.token !== undefined) headers.authorization = `Bearer ${request.token}`;
  if (request.idempotencyKey !== undefined) headers["idempotency-key"] = request.idempotencyKey;
  const response = await fetchImpl(url, { method: request.method, headers, ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }) });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : null;
  } catch {
    // Not JSON: reported below with the status.
  }
  if (!response.ok) {
    const error = (parsed ?? {}) as { code?: string; message?: string; requestId?: string; details?: string[] };
    throw new CroupierError(
      error.code ?? fallbackCode,
      error.message ?? `HTTP ${response.status} from ${url}`,
      error.requestId,
      error.details,
      response.status,
    );
  }
  return parsed as T;
}
