import type { Clock } from "../../app/ports/clock.js";
import type { Lease, RoomLease } from "../../app/ports/room-lease.js";

/** Leases of one embedded process: the same rules as Redis (expiry, growing fence) in a Map. */
export class MemoryRoomLease implements RoomLease {
  private readonly leases = new Map<string, Lease & { expiresAtMs: number }>();
  private readonly fences = new Map<string, number>();
  private readonly nodes = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  async acquire(room: string, nodeId: string, ttlMs: number): Promise<number | null> {
    const now = this.clock.nowMs();
    const current = this.leases.get(room);
    if (current !== undefined && current.expiresAtMs > now) return null;
    const fence = (this.fences.get(room) ?? 0) + 1;
    this.fences.set(room, fence);
    this.leases.set(room, { nodeId, fence, expiresAtMs: now + ttlMs });
    return fence;
  }

  async renew(room: string, lease: Lease, ttlMs: number): Promise<boolean> {
    const current = this.leases.get(room);
    if (current === undefined || current.nodeId !== lease.nodeId || current.fence !== lease.fence) return false;
    current.expiresAtMs = this.clock.nowMs() + ttlMs;
    return true;
  }

  async release(room: string, lease: Lease): Promise<void> {
    const current = this.leases.get(room);
    if (current?.nodeId === lease.nodeId && current.fence === lease.fence) this.leases.delete(room);
  }

  async holder(room: string): Promise<Lease | null> {
    const current = this.leases.get(room);
    if (current === undefined || current.expiresAtMs <= this.clock.nowMs()) return null;
    return { nodeId: current.nodeId, fence: current.fence };
  }

  async announce(nodeId: string, ttlMs: number): Promise<void> {
    this.nodes.set(nodeId, this.clock.nowMs() + ttlMs);
  }

  async withdraw(nodeId: string): Promise<void> {
    this.nodes.delete(nodeId);
  }

  async hostingNodes(): Promise<string[]> {
    const now = this.clock.nowMs();
    for (const [node, expiresAtMs] of this.nodes) if (expiresAtMs <= now) this.nodes.delete(node);
    return [...this.nodes.keys()].sort();
  }

  /** The fence the log accepts: the latest one issued, held or not (an expired holder is still the last writer). */
  currentFence(room: string): number {
    return this.fences.get(room) ?? 0;
  }
}
