/**
 * Fire-and-forget messages between the nodes of one deployment: in memory when embedded, Redis
 * pub/sub in production. Delivery is at most once; nothing that must not be lost goes only here.
 */
export type BusHandler = (message: string) => void;

export interface Bus {
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once the subscription is active; the returned function unsubscribes. */
  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
