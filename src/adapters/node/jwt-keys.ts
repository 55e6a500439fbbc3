import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Ed25519 signing keys kept as JWK files in one folder, one file per key id. The newest key signs;
 * older keys stay published in the JWKS until every token they signed has expired, which is what
 * makes rotation seamless. Private key files are written with mode 0600.
 */
export interface StoredKey {
  readonly kid: string;
  readonly createdAtMs: number;
  readonly privateJwk: JWK;
}

const suffix = ".private.jwk.json";

export function readKeys(dir: string): StoredKey[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(suffix));
  } catch {
    return [];
  }
  return names.map((name) => JSON.parse(readFileSync(join(dir, name), "utf8")) as StoredKey).sort((a, b) => a.createdAtMs - b.createdAtMs);
}

export async function generateKey(dir: string, nowMs: number): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const kid = `${new Date(nowMs).toISOString().slice(0, 10)}-${randomBytes(6).toString("hex")}`;
  const key: StoredKey = { kid, createdAtMs: nowMs, privateJwk: { ...(await exportJWK(privateKey)), kid, alg: "EdDSA", use: "sig" } };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, kid + suffix), JSON.stringify(key, null, 2), { mode: 0o600, flag: "wx" });
  return key;
}

export function publicJwk(key: StoredKey): JWK {
  const { kid, kty, crv, x } = key.privateJwk;
  if (kid === undefined || kty === undefined || crv === undefined || x === undefined) throw new Error("a stored signing key is not a complete Ed25519 JWK");
  return { kid, kty, crv, x, alg: "EdDSA", use: "sig" };
}

/**
 * Keys whose tokens may still be alive: the newest, and each older key until `accessTtlMs` after
 * its successor took over signing.
 */
export function verifyingKeys(keys: readonly StoredKey[], nowMs: number, accessTtlMs: number): StoredKey[] {
  return keys.filter((key, i) => {
    const successor = keys[i + 1];
    return successor === undefined || successor.createdAtMs + accessTtlMs > nowMs;
  });
}

export type SigningKey = Awaited<ReturnType<typeof importJWK>>;

export async function importPrivate(key: StoredKey): Promise<SigningKey> {
  return importJWK(key.privateJwk, "EdDSA");
}
