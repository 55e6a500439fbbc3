import type { JSONWebKeySet } from "jose";
import type { Clock } from "../../app/ports/clock.js";
import { generateKey, importPrivate, publicJwk, readKeys, verifyingKeys, type SigningKey, type StoredKey } from "./jwt-keys.js";

export class MissingKeysError extends Error {
  override readonly name = "MissingKeysError";
}

/**
 * The signing keys of this node, loaded from the keys folder. `reload()` picks up a key added by
 * `croupier keys rotate` (main.ts calls it on SIGHUP and on a timer).
 */
export class JwtKeyRing {
  private signing: { kid: string; key: SigningKey } | null = null;
  private published: JSONWebKeySet = { keys: [] };

  private constructor(
    private readonly dir: string,
    private readonly clock: Clock,
    private readonly accessTtlMs: number,
  ) {}

  /** `generateIfMissing` is for embedded mode; production nodes must share keys provisioned up front. */
  static async open(dir: string, clock: Clock, accessTtlMs: number, generateIfMissing: boolean): Promise<JwtKeyRing> {
    if (readKeys(dir).length === 0) {
      if (!generateIfMissing)
        throw new MissingKeysError(`no signing keys in ${dir}: run "croupier keys rotate --jwt-keys-dir ${dir}" once and share the folder with every node`);
      await generateKey(dir, clock.nowMs());
    }
    const ring = new JwtKeyRing(dir, clock, accessTtlMs);
    await ring.reload();
    return ring;
  }

  async reload(): Promise<void> {
    const keys: StoredKey[] = readKeys(this.dir);
    const newest = keys.at(-1);
    if (newest === undefined) throw new MissingKeysError(`no signing keys in ${this.dir}`);
    this.signing = { kid: newest.kid, key: await importPrivate(newest) };
    this.published = { keys: verifyingKeys(keys, this.clock.nowMs(), this.accessTtlMs).map(publicJwk) };
  }

  current(): { kid: string; key: SigningKey } {
    if (this.signing === null) throw new Error("key ring used before it was loaded");
    return this.signing;
  }

  jwks(): JSONWebKeySet {
    return this.published;
  }
}
