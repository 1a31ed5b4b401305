/**
 * Render models the render tests share: a small run of a two-phase graph (the README example)
 * and a few edge cases built from it.
 */
import type { RenderModel, RenderNode, RenderPort } from '../../engine/render/render-model.ts';

const ports = (...names: string[]): RenderPort[] => names.map((name, index) => ({ index, name }));

function component(id: string, type: string, phase: number, inputs: string[], outputs: string[], extra: Partial<RenderNode> = {}): RenderNode {
  return { id, type, phase, enabled: true, inputs: ports(...inputs), outputs: ports(...outputs), ...extra };
}

/**
 * Orders → totals → Dropbox upload, after a failed run: phase 0 reads, filters, totals and
 * writes; phase 1 archives and uploads, and the upload fails with a 401. One component is
 * disabled, and all three edge kinds appear.
 */
export function exampleRunModel(): RenderModel {
  return {
    graph: 'orders-upload',
    description: 'Totals per customer, uploaded to Dropbox',
    phases: [0, 1],
    nodes: [
      component('read', 'FileReader', 0, ['files'], ['out', 'error'], { status: 'FINISHED_OK', durationMs: 1240 }),
      component('valid', 'Filter', 0, ['in'], ['accepted', 'rejected'], { status: 'FINISHED_OK', durationMs: 1190 }),
      component('total', 'Reformat', 0, ['in'], ['out'], { status: 'FINISHED_OK', durationMs: 1302 }),
      component('debug', 'Trash', 0, ['in'], [], { enabled: false }),
      component('copy', 'SimpleCopy', 0, ['in'], ['0', '1'], { status: 'FINISHED_OK', durationMs: 1310 }),
      component('write', 'FileWriter', 0, ['in'], ['files'], { status: 'FINISHED_OK', durationMs: 1420 }),
      component('rejects', 'FileWriter', 0, ['in'], [], { status: 'FINISHED_OK', durationMs: 35 }),
      component('upload', 'HTTPConnector', 1, ['in'], ['response', 'error'], {
        status: 'ERROR',
        durationMs: 612,
        problem: 'HTTP 401 from https://content.dropboxapi.com/2/files/upload: expired_access_token (record 1)',
      }),
      component('archive', 'FileWriter', 1, ['in'], [], { status: 'ABORTED', durationMs: 598 }),
      component('log', 'FileWriter', 1, ['in'], [], { status: 'ABORTED', durationMs: 610 }),
    ],
    edges: [
      { id: 'read:0->valid:0', from: { node: 'read', port: 0 }, to: { node: 'valid', port: 0 }, metadata: 'Order', kind: 'direct', records: 12_845 },
      { id: 'read:1->rejects:0', from: { node: 'read', port: 1 }, to: { node: 'rejects', port: 0 }, metadata: 'ParseError', kind: 'direct', records: 3 },
      { id: 'valid:0->total:0', from: { node: 'valid', port: 0 }, to: { node: 'total', port: 0 }, metadata: 'Order', kind: 'direct', records: 12_790 },
      { id: 'valid:1->debug:0', from: { node: 'valid', port: 1 }, to: { node: 'debug', port: 0 }, metadata: 'Order', kind: 'direct' },
      { id: 'total:0->copy:0', from: { node: 'total', port: 0 }, to: { node: 'copy', port: 0 }, metadata: 'CustomerTotal', kind: 'direct', records: 412 },
      { id: 'copy:0->write:0', from: { node: 'copy', port: 0 }, to: { node: 'write', port: 0 }, metadata: 'CustomerTotal', kind: 'buffered', records: 412 },
      { id: 'copy:1->archive:0', from: { node: 'copy', port: 1 }, to: { node: 'archive', port: 0 }, metadata: 'CustomerTotal', kind: 'phase', records: 412 },
      { id: 'write:0->upload:0', from: { node: 'write', port: 0 }, to: { node: 'upload', port: 0 }, metadata: 'WrittenFile', kind: 'phase', records: 1 },
      { id: 'upload:1->log:0', from: { node: 'upload', port: 1 }, to: { node: 'log', port: 0 }, metadata: 'UploadError', kind: 'direct', records: 0 },
    ],
  };
}
