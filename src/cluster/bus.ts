/**
 * The bus between replicas: `broadcast(kind)` runs the handlers registered for `kind` on every replica,
 * this one included, and resolves once each replica has run them. That is how an operator action taken on
 * one replica (a clock advance, a reset, a fault rule) is in force on all of them before its call answers.
 *
 * One process (no `--redis`): `LocalBus` runs the handlers in place. Replicas: `RedisBus` publishes on one
 * channel; every replica runs the handlers and answers on the sender's own acknowledgement channel. PUBLISH
 * says how many replicas received the message, so the sender knows how many answers to wait for. A replica
 * that dies between receiving and answering would hold the sender forever: the wait ends after
 * ACK_TIMEOUT_MS (logged), and the periodic refresh of each replica (the clock's offset, the fault rules)
 * catches up what a lost message missed.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type BusHandler = (payload: unknown) => Promise<void> | void;

export interface Bus {
  on(kind: string, handler: BusHandler): void;
  /** `timeoutMs`: how long to wait for the replicas' answers (default ACK_TIMEOUT_MS). */
  broadcast(kind: string, payload?: unknown, timeoutMs?: number): Promise<void>;
}

/** One process: the handlers run here, in registration order. */
export class LocalBus implements Bus {
  protected readonly handlers = new Map<string, BusHandler[]>();

  on(kind: string, handler: BusHandler): void {
    this.handlers.set(kind, [...(this.handlers.get(kind) ?? []), handler]);
  }

  async broadcast(kind: string, payload?: unknown): Promise<void> {
    await this.deliver(kind, payload);
  }

  protected async deliver(kind: string, payload: unknown): Promise<void> {
    for (const handler of this.handlers.get(kind) ?? []) await handler(payload);
  }
}

/** How long a broadcast waits for the replicas' answers. */
export const ACK_TIMEOUT_MS = 5000;

interface Message {
  id: string;
  from: string;
  kind: string;
  payload: unknown;
}

export class RedisBus extends LocalBus {
  /** This replica, as named on the bus. */
  readonly replicaId = randomUUID();
  private readonly waiting = new Map<string, { received: number; expected: number; done: () => void }>();
  private readonly channel: string;
  private readonly ackChannel: string;

  constructor(private readonly commands: Redis, private readonly subscriber: Redis, prefix: string, private readonly log: Logger) {
    super();
    this.channel = `${prefix}bus`;
    this.ackChannel = `${prefix}bus-ack:${this.replicaId}`;
  }

  async start(): Promise<void> {
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.ackChannel) this.acknowledged(text);
      else if (channel === this.channel) void this.received(JSON.parse(text) as Message);
    });
    await this.subscriber.subscribe(this.channel, this.ackChannel);
  }

  override async broadcast(kind: string, payload?: unknown, timeoutMs = ACK_TIMEOUT_MS): Promise<void> {
    const id = randomUUID();
    const answered = new Promise<void>((resolve) => this.waiting.set(id, { received: 0, expected: Infinity, done: resolve }));
    let timer: NodeJS.Timeout | undefined;
    try {
      const receivers = await this.commands.publish(this.channel, JSON.stringify({ id, from: this.replicaId, kind, payload } satisfies Message));
      const wait = this.waiting.get(id)!;
      wait.expected = receivers;
      if (wait.received >= receivers) wait.done();
      const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
      if ((await Promise.race([answered, timeout])) === 'timeout') {
        this.log.warn({ kind, receivers, answered: wait.received }, 'not every replica answered a broadcast in time');
      }
    } finally {
      clearTimeout(timer);
      this.waiting.delete(id);
    }
  }

  private async received(message: Message): Promise<void> {
    try {
      await this.deliver(message.kind, message.payload);
    } catch (err) {
      this.log.error({ err, kind: message.kind }, 'a broadcast handler failed');
    }
    await this.commands.publish(`${this.channel}-ack:${message.from}`, message.id).catch((err: unknown) => {
      this.log.warn({ err, kind: message.kind }, 'could not answer a broadcast');
    });
  }

  private acknowledged(id: string): void {
    const wait = this.waiting.get(id);
    if (!wait) return;
    wait.received++;
    if (wait.received >= wait.expected) wait.done();
  }
}
