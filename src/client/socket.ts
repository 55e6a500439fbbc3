/**
 * The part of the WebSocket API the SDK uses. The implementation is injected: a browser passes
 * `globalThis.WebSocket`, Node 20 passes the `ws` package's `WebSocket` class. Handlers take `never`
 * so that both implementations' own event types are assignable; the SDK reads only the fields below.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** What the SDK reads from the events it is handed. */
export interface MessageEventLike {
  readonly data: unknown;
}
export interface CloseEventLike {
  readonly code: number;
  readonly reason: string;
}

/** WebSocket.OPEN in every implementation. */
export const socketOpen = 1;
