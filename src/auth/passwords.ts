/**
 * argon2id through Bun's built-in implementation (Bun.password: argon2id, m=64 MiB, t=2),
 * which needs no native add-on. Verification reads the algorithm from the stored hash.
 */
export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, { algorithm: "argon2id" });
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return Bun.password.verify(password, hash);
}

/** A hash of nothing, verified against when the account does not exist, so timing tells nothing. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword("rollcall-decoy-password");
  return decoyHash;
}
