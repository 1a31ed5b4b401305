/**
 * `trefoil gen` (maintainers; `npm run gen`): regenerates everything derived from the specs —
 * `schemas/graph.schema.json` and the README's component and error-code references. A test
 * fails when the committed files are stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { generatedFiles } from '../component/generated-files.ts';

export async function genCommand(): Promise<number> {
  for (const file of generatedFiles()) {
    const current = safeRead(file.path);
    if (current !== file.content) {
      writeFileSync(file.path, file.content);
      process.stdout.write(`updated ${file.path}\n`);
    } else process.stdout.write(`unchanged ${file.path}\n`);
  }
  return 0;
}

function safeRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
