import { hashChain, hashServerSeed, ProvablyFairRng, type ProvablyFairSeeds, type Rng } from "../../engine/rng/index.js";
import type { RoundVerification } from "../../protocol/fairness.schemas.js";
import type { LogEntryInput } from "../ports/room-log.js";

/**
 * Commit before, reveal after (docs/FAIRNESS.md). Two constructions over the provably-fair stream
 * `HMAC-SHA256(serverSeed, "clientSeed:nonce:cursor")`:
 *
 * - single-player games (slots): a server seed per player and game whose SHA-256 is shown before
 *   play, the player's client seed, a nonce per paid round; rotating reveals the old server seed;
 * - shared tables (roulette, blackjack shoes, hold'em decks): a reversed hash chain whose first value
 *   (`commitment`) is published when the table opens; round k uses seed k of the chain with the
 *   round's id in the client seed's place and k as the nonce, and reveals the seed when the round's
 *   cards or number are public (a blackjack shoe, which serves many rounds, takes one seed with its
 *   first round's id, and reveals it when the shoe is replaced).
 *
 * The server seeds live in the room's server-only snapshot (never sent to a client), so a new owner
 * after a failover continues the same chain or seed pair.
 */
export const fairnessScheme = "hmac-sha256-v1";
/** Rounds per chain; a table starts a new chain (publishing its commitment) when one runs out. */
export const fairChainLength = 1_000;

export interface FairChain {
  /** Chains of one table are numbered 1, 2, ... */
  readonly id: number;
  /** Seed L of the chain: the secret every other seed derives from. Server-only. */
  readonly terminal: string;
  readonly length: number;
  /** Seed 0, published when the chain starts. */
  readonly commitment: string;
  /** Seeds taken so far; the next round takes seed `used + 1`. */
  readonly used: number;
}

/** Where a round's seed sits in its table's chain. */
export interface ChainSeedRef {
  readonly chainId: number;
  readonly index: number;
}

/** What a verifier needs, recorded with the round (and sent once the seed is revealed): docs/FAIRNESS.md. */
export type Verification = RoundVerification;

const chainMemo = new Map<string, readonly string[]>();
const chainMemoMax = 256;

/** The seeds of a chain (computed once per terminal seed and node: about 30 ms for 1,000 seeds). */
function seedsOf(chain: FairChain): readonly string[] {
  const cached = chainMemo.get(chain.terminal);
  if (cached !== undefined) return cached;
  const seeds = hashChain(chain.terminal, chain.length);
  chainMemo.set(chain.terminal, seeds);
  if (chainMemo.size > chainMemoMax) chainMemo.delete(chainMemo.keys().next().value as string);
  return seeds;
}

export function newChain(terminal: string, id: number, length = fairChainLength): FairChain {
  const chain: FairChain = { id, terminal, length, commitment: "", used: 0 };
  return { ...chain, commitment: seedsOf(chain)[0] as string };
}

/** A chain that must be replaced before another round can take a seed. */
export function chainSpent(chain: FairChain | undefined): boolean {
  return chain === undefined || chain.used >= chain.length;
}

export function takeSeed(chain: FairChain): { chain: FairChain; ref: ChainSeedRef } {
  const index = chain.used + 1;
  return { chain: { ...chain, used: index }, ref: { chainId: chain.id, index } };
}

/** The seed `ref` names, if it belongs to `chain` (a round restored from before chains has none). */
export function chainSeed(chain: FairChain | undefined, ref: ChainSeedRef | undefined): string | null {
  if (chain === undefined || ref === undefined || ref.chainId !== chain.id || ref.index < 1 || ref.index > chain.length) return null;
  return seedsOf(chain)[ref.index] as string;
}

/** What the table publishes about a chain (never its seeds). */
export function publicChain(chain: FairChain | undefined) {
  return chain === undefined ? null : { scheme: fairnessScheme, chainId: chain.id, commitment: chain.commitment, length: chain.length, used: chain.used };
}

/** The event announcing a new chain's commitment, before any round uses it. */
export function chainEvent(chain: FairChain): LogEntryInput {
  return { kind: "fairness.chain", data: publicChain(chain) };
}

/** A round's commitment, public from its opening: its seed's hash (seed k-1), client seed and nonce. */
export function roundCommitment(chain: FairChain, ref: ChainSeedRef, clientSeed: string) {
  return {
    scheme: fairnessScheme,
    serverSeedHash: seedsOf(chain)[ref.index - 1] as string,
    clientSeed,
    nonce: ref.index,
    chain: { id: chain.id, commitment: chain.commitment, index: ref.index, length: chain.length },
  };
}

/** What a verifier needs of a stream: its seeds, where it ended, and whether the server seed is shown yet. */
export function streamVerification(
  seeds: ProvablyFairSeeds,
  read: { readonly cursor: number; readonly uint32sDrawn: number },
  revealed: boolean,
  chain?: Verification["chain"],
): Verification {
  return {
    scheme: fairnessScheme,
    provablyFair: true as const,
    serverSeedHash: hashServerSeed(seeds.serverSeed),
    serverSeed: revealed ? seeds.serverSeed : null,
    clientSeed: seeds.clientSeed,
    nonce: seeds.nonce,
    cursor: read.cursor,
    uint32sDrawn: read.uint32sDrawn,
    ...(chain === undefined ? {} : { chain }),
  };
}

/** Plays `draw` on the provably-fair stream of `seeds`, and returns its value with the round's verification. */
export function drawFair<T>(
  seeds: ProvablyFairSeeds,
  draw: (rng: Rng) => T,
  revealed: boolean,
  chain?: Verification["chain"],
): { value: T; verification: Verification } {
  const rng = new ProvablyFairRng(seeds);
  const value = draw(rng);
  return { value, verification: streamVerification(seeds, { cursor: rng.cursorLast, uint32sDrawn: rng.drawnUint32s }, revealed, chain) };
}

/**
 * The seeds of seed `ref` of a shared table's chain: seed k, `clientSeed` (a round id, or at blackjack
 * the id of the shoe's first round) and k as the nonce; null for a seed the chain does not hold.
 */
export function sharedSeeds(
  chain: FairChain,
  ref: ChainSeedRef,
  clientSeed: string,
): { seeds: ProvablyFairSeeds; chain: NonNullable<Verification["chain"]> } | null {
  const serverSeed = chainSeed(chain, ref);
  if (serverSeed === null) return null;
  return { seeds: { serverSeed, clientSeed, nonce: ref.index }, chain: { id: chain.id, commitment: chain.commitment, index: ref.index, length: chain.length } };
}

/** Draws round `ref` of a shared table: seed k of the chain, the round id as client seed, k as nonce; the seed is revealed. */
export function drawShared<T>(chain: FairChain, ref: ChainSeedRef, roundId: string, draw: (rng: Rng) => T): { value: T; verification: Verification } | null {
  const shared = sharedSeeds(chain, ref, roundId);
  return shared === null ? null : drawFair(shared.seeds, draw, true, shared.chain);
}

/** Live-dealer results come from a physical wheel or shoe read by a person: labelled, never called provably fair. */
export const dealerEntered = {
  scheme: "dealer-entered",
  provablyFair: false,
  note: "entered by the dealer from the physical game; not provably fair",
} as const;
