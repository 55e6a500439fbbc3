import { createHash } from "node:crypto";
import { canonicalRequest, type IdempotencyRecord, type LedgerOp } from "../../engine/ledger/index.js";

/** The fingerprint stored beside an idempotency key: SHA-256 of the canonical request, base64url. */
export function fingerprintOf(op: LedgerOp): string {
  return createHash("sha256").update(canonicalRequest(op)).digest("base64url");
}

type OkOutcome = IdempotencyRecord["outcome"];

/** The recorded outcome as JSON: bigints as decimal strings, without the `replayed` flag. */
export function encodeOutcome(outcome: OkOutcome): string {
  return JSON.stringify({
    status: outcome.status,
    balances: outcome.balances.map((b) => [b.accountId.toString(), b.balance.toString(), b.held.toString()]),
    ...(outcome.jackpot === undefined ? {} : { jackpot: [outcome.jackpot.pool.toString(), outcome.jackpot.win?.toString() ?? null] }),
  });
}

export function decodeOutcome(json: string): OkOutcome {
  const parsed = JSON.parse(json) as { status: string; balances: [string, string, string][]; jackpot?: [string, string | null] };
  if (parsed.status !== "ok" || !Array.isArray(parsed.balances)) throw new Error(`stored ledger outcome is corrupt: ${json}`);
  return {
    status: "ok",
    replayed: false,
    balances: parsed.balances.map(([accountId, balance, held]) => ({ accountId: BigInt(accountId), balance: BigInt(balance), held: BigInt(held) })),
    ...(parsed.jackpot === undefined
      ? {}
      : { jackpot: { pool: BigInt(parsed.jackpot[0]), ...(parsed.jackpot[1] === null ? {} : { win: BigInt(parsed.jackpot[1]) }) } }),
  };
}
