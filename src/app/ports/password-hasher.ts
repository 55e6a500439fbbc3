export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Burns the same work as a verify against a real hash, so unknown users take as long as known ones. */
  verifyDummy(password: string): Promise<void>;
}
