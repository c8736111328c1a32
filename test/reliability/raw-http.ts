/**
 * A raw HTTP/1.1 connection for protocol tests: writes bytes as given and reads answers one by one, framed
 * by Content-Length (a HEAD answer has none), so a test can see exactly what the server wrote and whether
 * it kept or closed the connection.
 */
import assert from 'node:assert/strict';
import net from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export class RawConnection {
  private buffer = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  ended = false;
  readonly closed: Promise<void>;
  private readonly socket: net.Socket;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.waiting?.();
    });
    this.closed = new Promise((resolve) => {
      const done = () => {
        this.ended = true;
        this.waiting?.();
        resolve();
      };
      socket.on('end', done).on('close', done);
    });
    // A reset after the answer is a way of closing too; the answers already read stay available.
    socket.on('error', () => undefined);
  }

  static open(url: string): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), hostname, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** Writes and resolves once the bytes are handed to the kernel (false: the server already closed). */
  write(data: string | Buffer): Promise<boolean> {
    if (this.socket.destroyed || !this.socket.writable) return Promise.resolve(false);
    return new Promise((resolve) => this.socket.write(data, (err) => resolve(!err)));
  }

  /** The next answer; `head`: it is an answer to HEAD (no body whatever Content-Length says). */
  async next(head = false): Promise<RawAnswer> {
    for (;;) {
      const parsed = this.parse(head);
      if (parsed) return parsed;
      if (this.ended) throw new Error(`connection closed; unparsed: ${JSON.stringify(this.buffer.toString('latin1').slice(0, 300))}`);
      await new Promise<void>((resolve) => (this.waiting = resolve));
      this.waiting = undefined;
    }
  }

  /** Whatever bytes arrived and were not read as an answer. */
  rest(): string {
    return this.buffer.toString('latin1');
  }

  close(): void {
    this.socket.destroy();
  }

  private parse(head: boolean): RawAnswer | undefined {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end === -1) return undefined;
    const [statusLine, ...lines] = this.buffer.toString('latin1', 0, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    const length = head ? 0 : Number(headers['content-length'] ?? 0);
    if (this.buffer.length < end + 4 + length) return undefined;
    const body = this.buffer.toString('utf8', end + 4, end + 4 + length);
    this.buffer = this.buffer.subarray(end + 4 + length);
    return { status: Number(statusLine!.split(' ')[1]), headers, body };
  }
}

/** One request on a fresh connection: its first answer, and whether the server then closed. */
export async function exchange(url: string, request: string | Buffer, head = false): Promise<RawAnswer & { conn: RawConnection }> {
  const conn = await RawConnection.open(url);
  await conn.write(request);
  return { ...(await conn.next(head)), conn };
}

/** An error answer in the contract: status, catalog body exactly (none on HEAD), JSON type, Request-Id. */
export function expectRawError(answer: RawAnswer, status: number, code: number, message: string, head = false): void {
  assert.equal(answer.status, status, `answer: ${answer.status} ${answer.body}`);
  assert.match(answer.headers['request-id'] ?? '', UUID4);
  assert.equal(answer.headers['content-type'], 'application/json; charset=utf-8');
  const body = JSON.stringify({ code, message });
  assert.equal(answer.headers['content-length'], String(Buffer.byteLength(body)));
  if (!head) assert.equal(answer.body, body);
}
