/**
 * The password policy, pure. Length is what matters most (NIST SP 800-63B): a minimum length, a
 * maximum that bounds hashing work, no composition rules, and a refusal of passwords that merely
 * repeat the username or one character.
 */
export interface PasswordPolicy {
  readonly lengthMin: number;
  readonly lengthMax: number;
}

export function checkPassword(password: string, username: string, policy: PasswordPolicy): string[] {
  const problems: string[] = [];
  const length = Array.from(password).length;
  if (length < policy.lengthMin) problems.push(`password must have at least ${policy.lengthMin} characters`);
  if (length > policy.lengthMax) problems.push(`password must have at most ${policy.lengthMax} characters`);
  if (password.trim().length !== password.length) problems.push("password must not start or end with whitespace");
  if (length > 0 && new Set(password).size === 1) problems.push("password must not repeat a single character");
  if (username.length > 0 && password.toLowerCase().includes(username.toLowerCase())) problems.push("password must not contain the username");
  return problems;
}
