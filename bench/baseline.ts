/**
 * The bare `node:http` baseline: answers each request with the bytes opencomb sent for the same target
 * (status, Content-Type, body, a fresh Request-Id), doing nothing else. Run as its own process by
 * bench/run.ts, which registers each target's answer with `PUT /_bench/<target>` before loading
 * `GET /<target>`. A path with no registered answer gets opencomb's 401 bytes.
 *
 * `BASELINE_SPIN_US`: each answer first burns that many microseconds of CPU in plain JavaScript, standing
 * in for a server's own work per request (bench/calibrate.ts).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';

interface Answer { status: number; contentType: string; body: string }

const answers = new Map<string, Answer>();
const spinMs = Number(process.env.BASELINE_SPIN_US ?? 0) / 1000;
const unauthorized: Answer = { status: 401, contentType: 'application/json; charset=utf-8', body: '{"code":4010001,"message":"Unauthorized user."}' };

const server = http.createServer((req, res) => {
  const url = req.url ?? '/';
  if (req.method === 'PUT' && url.startsWith('/_bench/')) {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      answers.set(url.slice('/_bench'.length), JSON.parse(text) as Answer);
      res.end();
    });
    return;
  }
  const answer = answers.get(url) ?? unauthorized;
  if (spinMs > 0) {
    const until = performance.now() + spinMs;
    while (performance.now() < until);
  }
  res.statusCode = answer.status;
  res.setHeader('Request-Id', randomUUID());
  res.setHeader('Content-Type', answer.contentType);
  res.setHeader('Content-Length', Buffer.byteLength(answer.body));
  res.end(answer.body);
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
