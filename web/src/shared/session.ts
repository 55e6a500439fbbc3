import { CroupierClient, CroupierError, requestJson, type FetchLike } from "croupier/client";
import { problemText } from "./problem.js";

export interface Me {
  readonly id: string;
  readonly username: string;
  readonly roles: readonly string[];
}
type Method = "GET" | "POST" | "PUT" | "DELETE";
type Ended = (notice: string) => void;

/** What a page says when the server ends the session under it (a 4003 close, or AUTH_SESSION_REVOKED). */
export const sessionEndedNotice =
  "Your session has ended: you were logged out (from another device, by a time-out or self-exclusion, or by an operator). Log in again; if the login is refused, it says why.";

const browserFetch: FetchLike = (url, init) => fetch(url, init);

/**
 * One logged-in player (or operator) in this tab: the SDK client for the WebSocket and the accounts API,
 * and the bearer calls of the HTTP API. The refresh token is kept in localStorage under `storageKey`, so a
 * reload stays logged in; it is rotated by every refresh (the SDK's `tokens` event), and a spent token
 * presented twice revokes the session (docs/ARCHITECTURE.md), which is why only the newest one is stored.
 */
export class Session {
  readonly client: CroupierClient;
  me: Me | null = null;
  private accessToken: string | null = null;
  private refreshing: Promise<void> | null = null;
  private readonly ended = new Set<Ended>();

  constructor(
    private readonly storageKey: string,
    origin = location.origin,
  ) {
    const refreshToken = localStorage.getItem(storageKey) ?? undefined;
    this.client = new CroupierClient({
      url: origin,
      WebSocket: globalThis.WebSocket,
      fetch: browserFetch,
      ...(refreshToken === undefined ? {} : { refreshToken }),
    });
    this.client.on("tokens", (pair) => {
      this.accessToken = pair.accessToken;
      localStorage.setItem(this.storageKey, pair.refreshToken);
    });
    // 4003: the session was revoked on the server (logout elsewhere, an exclusion, a lock); the SDK stops for good.
    this.client.on("disconnected", ({ code }) => {
      if (code === 4003 && this.me !== null) this.end(sessionEndedNotice);
    });
  }

  /** Called when the server ends this session (the page goes back to the login with the notice). */
  onEnded(listener: Ended): () => void {
    this.ended.add(listener);
    return () => this.ended.delete(listener);
  }

  /**
   * Forgets a session the server has already ended (no logout call: its tokens are refused) and tells
   * the page why. Called again with a more precise notice (an exclusion's answer after its 4003), it
   * replaces the first one.
   */
  end(notice: string): void {
    this.client.close();
    localStorage.removeItem(this.storageKey);
    this.me = null;
    this.accessToken = null;
    for (const listener of this.ended) listener(notice);
  }

  get hasStoredLogin(): boolean {
    return localStorage.getItem(this.storageKey) !== null;
  }

  /** Resumes a stored login: one refresh (rotating the stored token), then who we are. */
  async restore(): Promise<Me | null> {
    if (!this.hasStoredLogin) return null;
    try {
      await this.refresh();
      return await this.loadMe();
    } catch (error) {
      // A stored login the server refuses for a reason the player should hear (a break, a lock) says so.
      if (error instanceof CroupierError && refusedForAReason.has(error.code)) this.end(problemText(error));
      localStorage.removeItem(this.storageKey);
      return null;
    }
  }

  async login(login: string, password: string): Promise<Me> {
    await this.client.login(login, password, deviceId());
    return this.loadMe();
  }

  async register(username: string, password: string): Promise<Me> {
    await this.client.register(username, password);
    return this.login(username, password);
  }

  async logout(): Promise<void> {
    const token = this.accessToken;
    this.client.close();
    localStorage.removeItem(this.storageKey);
    this.me = null;
    this.accessToken = null;
    if (token !== null) await this.client.auth.logout(token).catch(() => undefined);
  }

  /** A bearer call of the HTTP API; an expired access token is refreshed once and the call repeated. */
  async api<T>(method: Method, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    const send = () =>
      requestJson<T>(
        browserFetch,
        path,
        {
          method,
          ...(body === undefined ? {} : { body }),
          ...(this.accessToken === null ? {} : { token: this.accessToken }),
          ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
        },
        "CLIENT_HTTP",
      );
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof CroupierError)) throw error;
      if (error.code === "CROUPIER_ERR_AUTH_SESSION_REVOKED" && this.me !== null) this.end(sessionEndedNotice);
      if (error.code !== "CROUPIER_ERR_AUTH_TOKEN_EXPIRED") throw error;
    }
    try {
      await this.refresh();
    } catch (error) {
      // A refused refresh (revoked, reused, or an exclusion or lock since) ends the session here too.
      if (error instanceof CroupierError && (error.httpStatus === 401 || error.httpStatus === 403) && this.me !== null) this.end(problemText(error));
      throw error;
    }
    return send();
  }

  /** A bearer GET of a file rather than JSON (a report to save), refreshed once like `api`. */
  async file(path: string): Promise<Blob> {
    const get = () => fetch(path, { headers: this.accessToken === null ? {} : { authorization: `Bearer ${this.accessToken}` } });
    let response = await get();
    if (response.status === 401) {
      await this.refresh();
      response = await get();
    }
    if (!response.ok) throw new Error(`${path} answered HTTP ${response.status}`);
    return response.blob();
  }

  /** One refresh at a time: two concurrent ones would present the same token twice and revoke the session. */
  refresh(): Promise<void> {
    this.refreshing ??= this.client
      .refresh()
      .then(() => undefined)
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  private async loadMe(): Promise<Me> {
    this.me = await this.api<Me>("GET", "/v1/me");
    return this.me;
  }
}

/** A stored login refused for a reason the player should hear (a break, a lock, a revoked session), not merely expired. */
const refusedForAReason = new Set([
  "CROUPIER_ERR_AUTH_SESSION_REVOKED",
  "CROUPIER_ERR_AUTH_REFRESH_REUSED",
  "CROUPIER_ERR_RG_EXCLUDED",
  "CROUPIER_ERR_RG_ACCOUNT_LOCKED",
]);

/** A per-browser device id, so the server's sessions list tells this browser apart. */
function deviceId(): string {
  let id = localStorage.getItem("croupier.device");
  if (id === null) {
    id = `web-${newId().slice(0, 12)}`;
    localStorage.setItem("croupier.device", id);
  }
  return id;
}

/** A random id for Idempotency-Keys and action ids (the platform CSPRNG). */
export function newId(): string {
  return crypto.randomUUID();
}

export function errorText(error: unknown): string {
  return problemText(error);
}
