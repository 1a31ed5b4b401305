/**
 * Secure parameter values (SPEC §4): `enc:v1:<base64>`, AES-256-GCM under a key derived with
 * scrypt from the master password (`TREFOIL_MASTER_PASSWORD`).
 *
 * Layout of the base64 payload (all lengths in bytes):
 *
 * ```
 *  0        16        28        44                44+n
 *  +--------+---------+---------+-----------------+
 *  | salt   | iv      | tag     | ciphertext      |
 *  | 16     | 12      | 16      | n = UTF-8 bytes |
 *  +--------+---------+---------+-----------------+
 * ```
 *
 * - salt: random per value; key = scrypt(masterPassword, salt, 32, N=2^15, r=8, p=1).
 * - iv: random per value (GCM nonce).
 * - tag: the GCM authentication tag; the additional authenticated data is the ASCII text `enc:v1`,
 *   so a payload cannot be replayed under another format version.
 *
 * The scrypt cost is fixed by the version: changing it means a new prefix (`enc:v2:`), never a
 * silent reinterpretation of stored values.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { TrefoilError } from '../errors/trefoil-error.ts';

/** Prefix of every secure value this version writes and reads. */
export const SECURE_VALUE_PREFIX = 'enc:v1:';

/** The environment variable holding the master password. */
export const MASTER_PASSWORD_VARIABLE = 'TREFOIL_MASTER_PASSWORD';

const AUTHENTICATED_DATA = Buffer.from('enc:v1', 'ascii');
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const HEADER_BYTES = SALT_BYTES + IV_BYTES + TAG_BYTES;

// NOTE: N=2^15, r=8 costs about 32 MiB and ~60–120 ms per derivation: well above the scrypt
// defaults (2^14) against offline guessing, while a CLI reading a handful of secure values stays
// under half a second. `maxmem` is raised because Node's 32 MiB default is just too small for it.
const SCRYPT_OPTIONS = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// NOTE: derived keys are memoised per salt for the master password last used, so a server that
// runs the same graph every five minutes, or a graph that reads a params file twice, pays the
// scrypt cost once per value per process. A different password empties the memo, and its size
// is bounded so a stream of fresh values cannot grow it without limit.
const KEY_MEMO_LIMIT = 256;
const keyMemo = new Map<string, Buffer>();
let keyMemoPassword: string | undefined;

function deriveKey(masterPassword: string, salt: Buffer): Buffer {
  if (keyMemoPassword !== masterPassword) {
    keyMemo.clear();
    keyMemoPassword = masterPassword;
  }
  const memoKey = salt.toString('base64');
  let key = keyMemo.get(memoKey);
  if (key === undefined) {
    key = scryptSync(masterPassword, salt, KEY_BYTES, SCRYPT_OPTIONS);
    if (keyMemo.size >= KEY_MEMO_LIMIT) keyMemo.clear();
    keyMemo.set(memoKey, key);
  }
  return key;
}

function requirePassword(masterPassword: string | undefined, action: 'encrypt' | 'decrypt'): string {
  if (masterPassword === undefined || masterPassword === '') {
    throw new TrefoilError(
      'TREFOIL_ERR_PARAMS_MASTER_PASSWORD_MISSING',
      `cannot ${action} a secure value: ${MASTER_PASSWORD_VARIABLE} is not set`,
    );
  }
  return masterPassword;
}

/**
 * The master password from the environment, or undefined when the variable is unset or empty
 * (an empty password is treated as a missing one).
 */
export function masterPasswordFromEnvironment(
  environment: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const value = environment[MASTER_PASSWORD_VARIABLE];
  return value === undefined || value === '' ? undefined : value;
}

/** True when `text` is a string in the secure-value form (`enc:v1:`…); the payload is not checked. */
export function isSecureValue(text: unknown): text is string {
  return typeof text === 'string' && text.startsWith(SECURE_VALUE_PREFIX);
}

/**
 * Encrypts `plain` (UTF-8) into `enc:v1:<base64>` with a fresh salt and IV: encrypting the same
 * text twice gives different results.
 *
 * @throws TrefoilError `TREFOIL_ERR_PARAMS_MASTER_PASSWORD_MISSING` when the password is missing or empty.
 */
export function encryptSecureValue(plain: string, masterPassword: string | undefined): string {
  const password = requirePassword(masterPassword, 'encrypt');
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(password, salt), iv);
  cipher.setAAD(AUTHENTICATED_DATA);
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const payload = Buffer.concat([salt, iv, cipher.getAuthTag(), ciphertext]);
  return SECURE_VALUE_PREFIX + payload.toString('base64');
}

/**
 * Decrypts an `enc:v1:<base64>` value. The plaintext is returned only once the GCM tag has been
 * verified: on any failure nothing of it is returned, and the decrypted bytes are wiped.
 *
 * @throws TrefoilError `TREFOIL_ERR_PARAMS_MASTER_PASSWORD_MISSING` when the password is missing or empty,
 *   `TREFOIL_ERR_PARAMS_SECURE_VALUE_MALFORMED` when `text` is not a well-formed value,
 *   `TREFOIL_ERR_PARAMS_WRONG_MASTER_PASSWORD` when authentication fails (wrong password or an
 *   altered value — GCM cannot tell the two apart). Messages never contain the value.
 */
export function decryptSecureValue(text: string, masterPassword: string | undefined): string {
  if (!text.startsWith(SECURE_VALUE_PREFIX)) {
    throw new TrefoilError(
      'TREFOIL_ERR_PARAMS_SECURE_VALUE_MALFORMED',
      text.startsWith('enc:')
        ? `unsupported secure value format "${text.slice(0, text.indexOf(':', 4) + 1)}" (this version reads ${SECURE_VALUE_PREFIX})`
        : `not a secure value: it must start with ${SECURE_VALUE_PREFIX}`,
    );
  }
  const password = requirePassword(masterPassword, 'decrypt');
  const encoded = text.slice(SECURE_VALUE_PREFIX.length);
  const payload = STRICT_BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : undefined;
  if (payload === undefined || payload.length < HEADER_BYTES) {
    throw new TrefoilError(
      'TREFOIL_ERR_PARAMS_SECURE_VALUE_MALFORMED',
      `malformed secure value: the text after ${SECURE_VALUE_PREFIX} must be base64 of at least ${HEADER_BYTES} bytes`,
    );
  }
  const salt = payload.subarray(0, SALT_BYTES);
  const iv = payload.subarray(SALT_BYTES, SALT_BYTES + IV_BYTES);
  const tag = payload.subarray(SALT_BYTES + IV_BYTES, HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', deriveKey(password, salt), iv);
  decipher.setAAD(AUTHENTICATED_DATA);
  decipher.setAuthTag(tag);
  const plain = decipher.update(payload.subarray(HEADER_BYTES));
  try {
    decipher.final();
  } catch (cause) {
    plain.fill(0);
    throw new TrefoilError(
      'TREFOIL_ERR_PARAMS_WRONG_MASTER_PASSWORD',
      `cannot decrypt a secure value: wrong master password (${MASTER_PASSWORD_VARIABLE}) or the value was altered`,
      {},
      { cause },
    );
  }
  const result = plain.toString('utf8');
  plain.fill(0);
  return result;
}
