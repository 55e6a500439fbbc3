import type { RoomLease } from "../ports/room-lease.js";

/**
 * One node at a time runs a singleton background job (the jackpot ticker): the node holding the job's
 * lease, a RoomLease under a name no room has. Whoever asks first while the lease is free leads; the
 * leader renews it each time it asks, so a leader that stops asking (stopped, paused, dead) is
 * replaced within `ttlMs`. Jobs run this way must tolerate a brief overlap, as lease holders can.
 */
export class JobLeader {
  private fence: number | null = null;

  constructor(
    private readonly lease: RoomLease,
    private readonly job: string,
    private readonly nodeId: string,
    private readonly ttlMs: number,
  ) {}

  /** Whether this node leads the job now: renews its lease, or takes it if free. Ask at least every ttlMs / 2. */
  async leads(): Promise<boolean> {
    if (this.fence !== null && (await this.lease.renew(this.name, { nodeId: this.nodeId, fence: this.fence }, this.ttlMs))) return true;
    this.fence = await this.lease.acquire(this.name, this.nodeId, this.ttlMs);
    return this.fence !== null;
  }

  async release(): Promise<void> {
    if (this.fence === null) return;
    await this.lease.release(this.name, { nodeId: this.nodeId, fence: this.fence });
    this.fence = null;
  }

  private get name(): string {
    return `job:${this.job}`;
  }
}
