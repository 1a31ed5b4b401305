/**
 * An example `transformModule` for Reformat: `init` runs once before the first record,
 * `transform` per record (same arguments as inline code), `finish` after the last.
 */
let greeted = 0;

export function init({ params }: { params: Readonly<Record<string, unknown>> }): void {
  greeted = 0;
  void params;
}

export function transform($in: Record<string, unknown>[], $out: Record<string, unknown>[]): void {
  $out[0]!.id = $in[0]!.id;
  $out[0]!.greeting = `Hello, ${String($in[0]!.name)}!`;
  greeted++;
}

export function finish({ dict }: { dict: Record<string, unknown> }): void {
  dict.greeted = greeted;
}
