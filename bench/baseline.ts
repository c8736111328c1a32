/**
 * The bare `node:http` baseline: answers every request with the same bytes opencomb sends on its 401 path
 * (status, Request-Id, JSON body), doing nothing else. Run as its own process by bench/run.ts.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';

const body = '{"code":4010001,"message":"Unauthorized user."}';
const server = http.createServer((_req, res) => {
  res.statusCode = 401;
  res.setHeader('Request-Id', randomUUID());
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
