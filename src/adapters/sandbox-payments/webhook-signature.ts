import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Webhook signatures, the scheme Stripe uses: the header
 *   croupier-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 * Signing the timestamp with the body lets the receiver refuse an old (replayed) delivery; several
 * v1 entries may be sent while a secret is being rotated.
 */
export const signatureHeader = "croupier-signature";

export function signWebhook(secret: string, rawBody: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${digest(secret, timestampSeconds, rawBody)}`;
}

export type SignatureCheck = "ok" | "missing" | "invalid" | "stale";

export function checkSignature(secret: string, rawBody: string, header: string | undefined, nowMs: number, toleranceMs: number): SignatureCheck {
  if (header === undefined || header.length === 0) return "missing";
  if (header.length > 1_024) return "invalid";
  let timestamp: number | null = null;
  const candidates: string[] = [];
  for (const part of header.split(",")) {
    const [name, value = ""] = part.trim().split("=", 2) as [string, string | undefined];
    if (name === "t" && /^[0-9]{1,12}$/.test(value)) timestamp = Number(value);
    else if (name === "v1") candidates.push(value);
  }
  if (timestamp === null || candidates.length === 0) return "invalid";
  const expected = Buffer.from(digest(secret, timestamp, rawBody), "utf8");
  // Constant time for each candidate of the right length, in bytes (a non-ASCII character is one
  // UTF-16 unit but several bytes); a wrong length says nothing about the secret.
  const matches = candidates.some((c) => {
    const given = Buffer.from(c, "utf8");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) return "invalid";
  return Math.abs(nowMs - timestamp * 1000) > toleranceMs ? "stale" : "ok";
}

function digest(secret: string, timestampSeconds: number, rawBody: string): string {
  return createHmac("sha256", secret).update(`${timestampSeconds}.${rawBody}`, "utf8").digest("hex");
}
