/**
 * Snapshots are JSON, and engine states hold bigint money. These encode a bigint as {"$bigint":"12"}
 * and back, so an engine state survives a snapshot (and a failover) exactly.
 */

/** Copies `value` with every bigint replaced by `replace(bigint)`. */
function mapBigints(value: unknown, replace: (n: bigint) => unknown): unknown {
  if (typeof value === "bigint") return replace(value);
  if (Array.isArray(value)) return value.map((v) => mapBigints(v, replace));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapBigints(v, replace)]));
  return value;
}

export function encodeBigints(value: unknown): unknown {
  return mapBigints(value, (n) => ({ $bigint: n.toString() }));
}

export function decodeBigints(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeBigints);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record.$bigint === "string" && Object.keys(record).length === 1) return BigInt(record.$bigint);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decodeBigints(v)]));
  }
  return value;
}

/** For the wire: bigints become decimal strings (clients read money as strings everywhere). */
export function bigintsToStrings(value: unknown): unknown {
  return mapBigints(value, (n) => n.toString());
}
