import argon2 from "argon2";
import type { PasswordHasher } from "../../app/ports/password-hasher.js";

export interface Argon2Options {
  readonly memoryKib: number;
  readonly iterations: number;
}

/** argon2id through the maintained native binding; parameters default to OWASP's 19 MiB, t=2, p=1. */
export class Argon2PasswordHasher implements PasswordHasher {
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly options: Argon2Options) {}

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, memoryCost: this.options.memoryKib, timeCost: this.options.iterations, parallelism: 1 });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  async verifyDummy(password: string): Promise<void> {
    this.dummyHash ??= this.hash("croupier-dummy-password-for-timing");
    await this.verify(await this.dummyHash, password);
  }
}
