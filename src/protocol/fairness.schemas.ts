import { Type, type Static } from "@sinclair/typebox";

/**
 * Provably fair on the wire (docs/FAIRNESS.md, docs/PROTOCOL.md). The actions a player sends to their
 * own slot machine to manage its seed pair, and what the server shows of seeds and rounds.
 */
export const clientSeedPattern = "^[A-Za-z0-9_.-]{1,64}$";
const clientSeed = Type.String({ pattern: clientSeedPattern, description: "1 to 64 characters of A-Z a-z 0-9 _ . -" });

/** `seed.client`: the client seed of the next paid spins (the server seed and nonce stay). */
export const SeedClientAction = Type.Object({ kind: Type.Literal("seed.client"), clientSeed }, { additionalProperties: false });
/** `seed.rotate`: reveals the server seed in use and commits a new one (nonce back to 0), optionally with a new client seed. */
export const SeedRotateAction = Type.Object({ kind: Type.Literal("seed.rotate"), clientSeed: Type.Optional(clientSeed) }, { additionalProperties: false });

/** A seed pair as the player sees it before it is revealed: the commitment, never the server seed. */
export interface SeedPairView {
  readonly scheme: string;
  readonly serverSeedHash: string;
  readonly clientSeed: string;
  /** The nonce of the next paid spin. */
  readonly nonce: number;
}

/** What `seed.rotate` answers (and the private `fairness.rotated` event carries). */
export interface SeedRotation {
  /** The pair just retired, with its server seed; `nonce` is how many paid spins it served. */
  readonly revealed: SeedPairView & { readonly serverSeed: string };
  readonly next: SeedPairView;
}

/** A round's verification data, in game recall and in the events that reveal it. */
export interface RoundVerification {
  readonly scheme: string;
  readonly provablyFair: true;
  /** The commitment shown before the round: SHA-256 of the server seed. */
  readonly serverSeedHash: string;
  /** The server seed, once revealed (shared tables: with the round; slots: when the player rotates). */
  readonly serverSeed: string | null;
  readonly clientSeed: string;
  readonly nonce: number;
  /** The cursor of the last HMAC block the round read, and how many uint32 values it drew. */
  readonly cursor: number;
  readonly uint32sDrawn: number;
  /** Shared tables: the chain the seed belongs to (SHA-256 applied `index` times gives `commitment`). */
  readonly chain?: { readonly id: number; readonly commitment: string; readonly index: number; readonly length: number };
}

export type SeedClientAction = Static<typeof SeedClientAction>;
export type SeedRotateAction = Static<typeof SeedRotateAction>;
