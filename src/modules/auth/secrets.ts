import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hash, hashSync, verify } from '@node-rs/argon2';

// argon2id with OWASP's minimum profile (19 MiB, 2 passes): ~20 ms here, fine for staff logins.
const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, ARGON2);

export async function verifyPassword(
  hashed: string | undefined,
  password: string,
): Promise<boolean> {
  try {
    return await verify(hashed ?? dummyHash(), password);
  } catch {
    return false;
  }
}
// Verified against when the user is unknown, so both answers take the same time.
let dummy: string | undefined;
const dummyHash = () => (dummy ??= hashSync(randomBytes(16).toString('hex'), ARGON2));

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `fdl_<8 chars>_<32 chars>`: the prefix is shown in lists, the whole key only once. */
export function newApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(6).toString('base64url').slice(0, 8);
  const key = `fdl_${prefix}_${randomBytes(24).toString('base64url')}`;
  return { key, prefix, hash: sha256(key) };
}

export const newLoginCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** JWT_SECRET from config, else one generated once and kept in the data folder. */
export function jwtSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
