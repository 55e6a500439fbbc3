import type { RoundVerification, SeedPairView, SeedRotation } from "../protocol/fairness.schemas.js";
import type { ActOptions, CroupierClient } from "./croupier-client.js";

export type { RoundVerification, SeedPairView, SeedRotation };

/**
 * The seed pair of the player's slot machine `room` (`slots:<userId>`), as its snapshot showed it on
 * join; events `fairness.seeds` and `fairness.rotated` carry later values.
 */
export function seedPairOf(snapshot: unknown): SeedPairView | null {
  // A joined snapshot is `{ state, private }`; the machine's pair is in the player's private part.
  const view = snapshot as { private?: { fairness?: SeedPairView | null } } | null;
  return view?.private?.fairness ?? null;
}

/** Sets the client seed of the next paid spins on the player's machine; resolves with the seed pair as it now stands. */
export async function setClientSeed(client: CroupierClient, room: string, clientSeed: string, options: ActOptions = {}): Promise<SeedPairView> {
  const ack = await client.act(room, { kind: "seed.client", clientSeed }, options);
  return ack.result as SeedPairView;
}

/**
 * Rotates the machine's seed pair: the server seed in use is revealed (check that its SHA-256 is the
 * commitment you were shown, then verify its spins), and a new one is committed with nonce 0.
 */
export async function rotateSeeds(client: CroupierClient, room: string, clientSeed?: string, options: ActOptions = {}): Promise<SeedRotation> {
  const ack = await client.act(room, { kind: "seed.rotate", ...(clientSeed === undefined ? {} : { clientSeed }) }, options);
  return ack.result as SeedRotation;
}
