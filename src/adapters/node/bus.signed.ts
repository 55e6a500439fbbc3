import { createHmac, timingSafeEqual } from "node:crypto";
import type { Bus, BusHandler } from "../../app/ports/bus.js";

/** base64url of an HMAC-SHA256: 43 characters, then a dot, then the message. */
const macChars = 43;

export interface SignedBusOptions {
  /** Every message received without a valid signature (it is dropped), with its channel. */
  readonly onRefused: (channel: string) => void;
}

/**
 * A bus whose every message is signed with the deployment's secret (HMAC-SHA256 over the channel
 * and the message) and dropped on arrival unless the signature holds. What a message asks for
 * (a room request with its actor and roles, a session revocation, presence) is then only ever
 * taken from a node of this deployment, never from another deployment publishing on the same
 * Redis server, nor from anyone who can PUBLISH without the secret.
 *
 * It authenticates the origin, not freshness: a recorded message can be replayed by someone who can
 * publish on the server. Room actions are idempotent by actionId, so a replay applies nothing twice.
 */
export class SignedBus implements Bus {
  constructor(
    private readonly inner: Bus,
    private readonly secret: string,
    private readonly options: SignedBusOptions,
  ) {}

  private mac(channel: string, message: string): string {
    return createHmac("sha256", this.secret).update(channel).update("\n").update(message).digest("base64url");
  }

  publish(channel: string, message: string): Promise<void> {
    return this.inner.publish(channel, `${this.mac(channel, message)}.${message}`);
  }

  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    return this.inner.subscribe(channel, (signed) => {
      const message = this.open(channel, signed);
      if (message === null) this.options.onRefused(channel);
      else handler(message);
    });
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The message inside `signed` when its signature holds, else null. */
  private open(channel: string, signed: string): string | null {
    if (signed.length <= macChars || signed.charCodeAt(macChars) !== 0x2e) return null;
    const message = signed.slice(macChars + 1);
    const given = Buffer.from(signed.slice(0, macChars), "utf8");
    const expected = Buffer.from(this.mac(channel, message), "utf8");
    // Compared as bytes of equal length: a non-ASCII character makes the given bytes longer, not a throw.
    return given.length === expected.length && timingSafeEqual(given, expected) ? message : null;
  }
}
