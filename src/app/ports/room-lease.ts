/**
 * One owner per room. A node holds a room's lease for `ttlMs` and renews it; every lease comes with
 * a fencing token that only grows, and the room log refuses appends carrying an older token, so a
 * paused or partitioned former owner can never write after a new owner took over.
 */
export interface Lease {
  readonly nodeId: string;
  readonly fence: number;
}

export interface RoomLease {
  /** Takes the lease if it is free or expired; returns the new fence, or null when another node holds it. */
  acquire(room: string, nodeId: string, ttlMs: number): Promise<number | null>;
  /** Extends a lease this node holds with this fence; false when it was lost. */
  renew(room: string, lease: Lease, ttlMs: number): Promise<boolean>;
  release(room: string, lease: Lease): Promise<void>;
  holder(room: string): Promise<Lease | null>;
  /** Says that `nodeId` hosts rooms and is alive for the next `ttlMs` (repeated while it runs). */
  announce(nodeId: string, ttlMs: number): Promise<void>;
  /** Withdraws an announcement: a node that stops. */
  withdraw(nodeId: string): Promise<void>;
  /** The nodes whose announcement has not lapsed, sorted: where shared tables are spread. */
  hostingNodes(): Promise<string[]>;
}
