import { Pool } from 'undici';
import { HttpClient } from '../../../components/http/index.ts';
import { startServer } from './local-server.ts';
const BODY = JSON.stringify({ id: 1, name: 'small response', ok: true });
const server = await startServer((_q, r) => { r.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) }); r.end(BODY); });
const client = new HttpClient({ connectionsPerOrigin: 32 });
const pool = new Pool(server.url, { connections: 32 });
async function run(f: (i: number) => Promise<unknown>) {
  let next = 0; const t = performance.now();
  await Promise.all(Array.from({ length: 32 }, async () => { while (next < 10000) { const i = next++; await f(i); } }));
  return (10000 / ((performance.now() - t) / 1000)).toFixed(0);
}
const raw = (i: number) => pool.request({ path: `/item?i=${i}`, method: 'GET' }).then((r) => r.body.text());
const ex = (i: number) => client.send({ url: `${server.url}/item`, query: { i: String(i) } });
for (let k = 0; k < 4; k++) console.log('raw', await run(raw), 'exec', await run(ex));
await client.close(); await pool.close(); await server.close();
