/**
 * Generated files match their sources (STYLE §2): schemas/graph.schema.json and the README's
 * component and error-code references are what `npm run gen` produces from the specs; every
 * error code is documented with how to fix it; the schema accepts the example graphs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../engine/component/generated-files.ts';
import { ERROR_CODES } from '../../engine/errors/registry.ts';

describe('generated files', () => {
  for (const file of generatedFiles()) {
    it(`${file.path.split('/').slice(-2).join('/')} is up to date (run npm run gen)`, () => {
      expect(readFileSync(file.path, 'utf8')).toBe(file.content);
    });
  }

  it('documents every error code with a summary and how to fix it', () => {
    const codes = Object.entries(ERROR_CODES);
    expect(codes.length).toBeGreaterThan(30);
    for (const [code, doc] of codes) {
      expect(code).toMatch(/^TREFOIL_ERR_[A-Z]+_[A-Z0-9_]+$/);
      expect(doc.summary.length, code).toBeGreaterThan(10);
      expect(doc.fix.length, code).toBeGreaterThan(10);
    }
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [code] of codes) expect(readme).toContain(`\`${code}\``);
  });
});
