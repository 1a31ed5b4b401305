import { describe, expect, it } from 'vitest';
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';
import {
  decryptSecureValue,
  encryptSecureValue,
  isSecureValue,
  masterPasswordFromEnvironment,
  SECURE_VALUE_PREFIX,
} from '../../engine/params/secure-value.ts';

const PASSWORD = 'correct horse battery staple';

function thrown(action: () => unknown): TrefoilError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(TrefoilError);
    return error as TrefoilError;
  }
  throw new Error('expected a TrefoilError, nothing was thrown');
}

describe('secure values', () => {
  it('round-trips text, including non-ASCII and the empty string', () => {
    for (const plain of ['s3cr3t', 'päss wörd ✓ 🔑', '', 'line1\nline2']) {
      const encrypted = encryptSecureValue(plain, PASSWORD);
      expect(encrypted.startsWith(SECURE_VALUE_PREFIX)).toBe(true);
      expect(encrypted).not.toContain(plain === '' ? '\u0000' : plain);
      expect(isSecureValue(encrypted)).toBe(true);
      expect(decryptSecureValue(encrypted, PASSWORD)).toBe(plain);
    }
  });

  it('stores salt, iv, tag and ciphertext: 44 bytes plus the text, fresh randomness each time', () => {
    const first = encryptSecureValue('abc', PASSWORD);
    const second = encryptSecureValue('abc', PASSWORD);
    expect(first).not.toBe(second);
    const payload = Buffer.from(first.slice(SECURE_VALUE_PREFIX.length), 'base64');
    expect(payload.length).toBe(16 + 12 + 16 + 3);
    // A different salt means a different key: the payloads share no prefix.
    expect(payload.subarray(0, 16)).not.toEqual(Buffer.from(second.slice(SECURE_VALUE_PREFIX.length), 'base64').subarray(0, 16));
  });

  it('rejects a wrong master password with a clear error and no plaintext', () => {
    const encrypted = encryptSecureValue('top-secret-token', PASSWORD);
    const error = thrown(() => decryptSecureValue(encrypted, 'wrong password'));
    expect(error.code).toBe('TREFOIL_ERR_PARAMS_WRONG_MASTER_PASSWORD');
    expect(error.message).toMatch(/wrong master password \(TREFOIL_MASTER_PASSWORD\)/);
    expect(error.message).not.toContain('top-secret');
    expect(error.fix).toMatch(/TREFOIL_MASTER_PASSWORD/);
  });

  it('rejects tampered ciphertext, tag, iv or salt (authentication, not garbage out)', () => {
    const encrypted = encryptSecureValue('top-secret-token', PASSWORD);
    const payload = Buffer.from(encrypted.slice(SECURE_VALUE_PREFIX.length), 'base64');
    for (const offset of [0, 16, 28, payload.length - 1]) {
      const tampered = Buffer.from(payload);
      tampered[offset]! ^= 0x01;
      const error = thrown(() => decryptSecureValue(SECURE_VALUE_PREFIX + tampered.toString('base64'), PASSWORD));
      expect(error.code).toBe('TREFOIL_ERR_PARAMS_WRONG_MASTER_PASSWORD');
    }
  });

  it('reports a missing master password as its own error', () => {
    const encrypted = encryptSecureValue('x', PASSWORD);
    for (const missing of [undefined, '']) {
      expect(thrown(() => decryptSecureValue(encrypted, missing)).code).toBe('TREFOIL_ERR_PARAMS_MASTER_PASSWORD_MISSING');
      expect(thrown(() => encryptSecureValue('x', missing)).message).toMatch(/TREFOIL_MASTER_PASSWORD is not set/);
    }
  });

  it('rejects malformed and unknown-version values', () => {
    expect(thrown(() => decryptSecureValue('enc:v1:not base64!', PASSWORD)).code).toBe('TREFOIL_ERR_PARAMS_SECURE_VALUE_MALFORMED');
    expect(thrown(() => decryptSecureValue('enc:v1:AAAA', PASSWORD)).code).toBe('TREFOIL_ERR_PARAMS_SECURE_VALUE_MALFORMED');
    const version = thrown(() => decryptSecureValue('enc:v9:AAAA', PASSWORD));
    expect(version.code).toBe('TREFOIL_ERR_PARAMS_SECURE_VALUE_MALFORMED');
    expect(version.message).toContain('enc:v9:');
  });

  it('recognises secure values and reads the master password from the environment', () => {
    expect(isSecureValue('enc:v1:abc')).toBe(true);
    expect(isSecureValue('plain')).toBe(false);
    expect(isSecureValue(42)).toBe(false);
    expect(masterPasswordFromEnvironment({ TREFOIL_MASTER_PASSWORD: 'pw' })).toBe('pw');
    expect(masterPasswordFromEnvironment({ TREFOIL_MASTER_PASSWORD: '' })).toBeUndefined();
    expect(masterPasswordFromEnvironment({})).toBeUndefined();
  });

  it('derives each key once per process: decrypting a value again is fast', () => {
    const encrypted = encryptSecureValue('cached', PASSWORD);
    const started = performance.now();
    for (let index = 0; index < 50; index++) decryptSecureValue(encrypted, PASSWORD);
    // 50 scrypt derivations would take seconds; memoised, 50 decryptions take milliseconds.
    expect(performance.now() - started).toBeLessThan(200);
  });
});
