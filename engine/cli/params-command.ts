/**
 * `trefoil params set FILE NAME [--secure]`: the value comes from standard input (one
 * trailing newline stripped), so it never appears in shell history or `ps`.
 */
import { setParam, stripOneTrailingNewline } from '../params/params-file.ts';
import { masterPasswordFromEnvironment } from '../params/secure-value.ts';
import { parseOptions } from './cli-options.ts';
import { UsageError } from './usage-error.ts';

export async function paramsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { secure: { type: 'boolean', default: false } });
  if (positionals[0] !== 'set' || positionals.length !== 3) throw new UsageError('usage: trefoil params set FILE NAME [--secure] < value');
  const [, file, name] = positionals as [string, string, string];
  const value = stripOneTrailingNewline(await readStdin());
  setParam(file, name, value, { secure: values.secure, masterPassword: masterPasswordFromEnvironment() });
  process.stderr.write(`${name} ${values.secure ? 'stored encrypted' : 'stored'} in ${file}\n`);
  return 0;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Enter the value, then press Ctrl+D:\n');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
