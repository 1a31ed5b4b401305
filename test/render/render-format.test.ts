import { describe, expect, it } from 'vitest';
import { isRenderFormat, RENDER_FORMATS, renderGraphAs } from '../../engine/render/render-format.ts';
import { exampleRunModel } from './example-models.ts';

describe('renderGraphAs', () => {
  it('renders each format the CLI offers, SVG by default', async () => {
    expect(RENDER_FORMATS).toEqual(['svg', 'dot', 'mermaid']);
    expect(await renderGraphAs(exampleRunModel())).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(await renderGraphAs(exampleRunModel(), 'dot')).toMatch(/^digraph "orders-upload" \{/);
    expect(await renderGraphAs(exampleRunModel(), 'mermaid')).toMatch(/^flowchart LR\n/);
  });

  it('recognises format names for --format', () => {
    expect(RENDER_FORMATS.every(isRenderFormat)).toBe(true);
    expect(isRenderFormat('png')).toBe(false);
    expect(isRenderFormat('SVG')).toBe(false);
  });
});
