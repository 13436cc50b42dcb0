import { hash, verify, type Algorithm } from '@node-rs/argon2';

/**
 * Argon2id with the OWASP minimum: 19 MiB of memory, 2 passes, 1 lane (about 20 ms a hash on
 * one core). The parameters travel inside each hash (`$argon2id$v=19$m=19456,t=2,p=1$…`), so
 * raising them later only affects new hashes; old ones still verify.
 *
 * `Algorithm` is a `const enum` declared in the package's types, which `verbatimModuleSyntax`
 * forbids reading; its runtime value for Argon2id is 2.
 */
const argon2id: Algorithm = 2;

export const passwordHashOptions = { algorithm: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

const minimumLength = 12;
const maximumLength = 1024;

export async function hashPassword(plain: string): Promise<string> {
  return hash(plain, passwordHashOptions);
}

/** Whether `plain` is the password of `hash`. A malformed hash answers false rather than throwing. */
export async function verifyPassword(hash: string, plain: string): Promise<boolean> {
  try {
    return await verify(hash, plain);
  } catch {
    return false;
  }
}

/**
 * Why a new password is refused, as a sentence for the person choosing it, or undefined when it
 * is acceptable: at least 12 characters (NIST SP 800-63B favours length over composition rules),
 * at most 1024 (hashing a huge input is a cheap way to burn the server's time), and more than one
 * distinct character. Characters are counted as code points, so an emoji counts once.
 */
export function passwordProblem(plain: string): string | undefined {
  const characters = [...plain];
  if (characters.length < minimumLength) return `the password must be at least ${minimumLength} characters long`;
  if (characters.length > maximumLength) return `the password must be at most ${maximumLength} characters long`;
  if (new Set(characters).size === 1) return 'the password must not repeat a single character';
  return undefined;
}
