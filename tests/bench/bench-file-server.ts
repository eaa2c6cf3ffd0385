import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

// A plain file host for the download benchmark, in a process of its own so that neither client under test shares
// its CPU: files streamed from disk (never whole in memory), strong ETags, HEAD, Range with If-Range, and a count of
// the bytes it sent (GET /__stats) to measure what a resume fetched again.
const root = process.argv[2];
if (!root) throw new Error('usage: bench-file-server <root>');
let sent = 0;

const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  if (path === '/__stats') {
    res.end(JSON.stringify({ bytes: sent }));
    return;
  }
  let size: number;
  let etag: string;
  const file = join(root, normalize(path));
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new Error('not a file');
    size = stat.size;
    etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  } catch {
    res.writeHead(404).end();
    return;
  }
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  const ifRange = req.headers['if-range'];
  const useRange = range && (!ifRange || ifRange === etag);
  const start = useRange ? Number(range[1]) : 0;
  const end = useRange && range[2] ? Math.min(size - 1, Number(range[2])) : size - 1;
  if (useRange && start >= size) {
    res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
    return;
  }
  const headers: Record<string, string | number> = { ETag: etag, 'Accept-Ranges': 'bytes', 'Content-Length': end - start + 1 };
  if (useRange) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  res.writeHead(useRange ? 206 : 200, headers);
  if (req.method === 'HEAD' || end < start) {
    res.end();
    return;
  }
  const stream = createReadStream(file, { start, end, highWaterMark: 1 << 20 });
  stream.on('data', (chunk) => {
    sent += chunk.length;
  });
  stream.pipe(res);
  res.on('close', () => stream.destroy());
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
