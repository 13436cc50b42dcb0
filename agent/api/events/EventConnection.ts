import type { Logger } from 'pino';
import { WebSocket, type RawData } from 'ws';
import {
  clientMessage,
  eventCloseCodes,
  eventStreamLimits,
  messageFieldOf,
  topicPermission,
  type ClientMessage,
  type EventTopic,
  type ServerMessage,
} from '../../../shared/api/events.js';
import { ApiProblem } from '../ApiProblem.js';
import { authorise } from '../authenticate.js';
import type { Principal } from '../Principal.js';
import { AuthenticationError } from '../../security/AuthenticationError.js';
import type { EventHub } from './EventHub.js';
import { SocketSubscription } from './Subscription.js';
import { SubscriptionRefused } from './SubscriptionRefused.js';

/** A credential the agent accepted: who, and until when (null: an API key, checked again every minute). */
export interface Authenticated {
  principal: Principal;
  expiresAt: number | null;
}

/** Checks an access token or API key; throws `ApiProblem` 401 or `AuthenticationError` when it is not good. */
export type Authenticator = (token: string) => Promise<Authenticated>;

export interface EventConnectionOptions {
  socket: WebSocket;
  hub: EventHub;
  authenticate: Authenticator;
  log: Pick<Logger, 'debug' | 'warn' | 'error'>;
  /** Set when the upgrade carried a good `Authorization` header: no `authenticate` message is needed. */
  signedIn?: Authenticated & { token: string };
  /** How often an API key is checked again (revoked, expired), in milliseconds. Default 60 000. */
  keyRecheckMs?: number;
}

/** Messages waiting to be handled before more are refused as `rate_limited` (a burst, e.g. resubscribing everything after a reconnect, fits). */
const maxQueuedMessages = eventStreamLimits.messageBurst;

/**
 * One socket of the event stream: its authentication, its subscriptions, and its limits.
 *
 * Messages are handled one at a time, in order. Until it is authenticated, the only message
 * accepted is `authenticate` (anything else, a bad credential, or none within 5 s closes it with
 * 4401). A later `authenticate` replaces the credential (same user or key only), which is how a
 * client keeps a socket past its access token's expiry; otherwise it closes with 4440 when the
 * token expires. An API key is checked again every minute, so a revoked key's socket closes (4401).
 * A client that lets more than `maxBufferedBytes` pile up unread is closed with 4429.
 */
export class EventConnection {
  readonly #socket: WebSocket;
  readonly #hub: EventHub;
  readonly #authenticate: Authenticator;
  readonly #log: EventConnectionOptions['log'];
  readonly #keyRecheckMs: number;
  readonly #subscriptions = new Map<string, SocketSubscription>();
  #signedIn: (Authenticated & { token: string }) | undefined;
  #authenticateDeadline: NodeJS.Timeout | undefined;
  #expiry: NodeJS.Timeout | undefined;
  #recheck: NodeJS.Timeout | undefined;
  #work: Promise<void> = Promise.resolve();
  #queued = 0;
  #allowance: number = eventStreamLimits.messageBurst;
  #allowanceAt = Date.now();
  #closed = false;

  constructor({ socket, hub, authenticate, log, signedIn, keyRecheckMs = 60_000 }: EventConnectionOptions) {
    this.#socket = socket;
    this.#hub = hub;
    this.#authenticate = authenticate;
    this.#log = log;
    this.#keyRecheckMs = keyRecheckMs;
    socket.on('message', (data, isBinary) => this.#receive(data, isBinary));
    socket.on('close', () => this.#cleanUp());
    if (signedIn) this.#signIn(signedIn);
    else {
      this.#authenticateDeadline = setTimeout(
        () => this.close(eventCloseCodes.unauthenticated, `authenticate within ${eventStreamLimits.authenticateWithinMs / 1000} s`),
        eventStreamLimits.authenticateWithinMs,
      );
    }
  }

  /** Closes the socket with `code` and ends every subscription. */
  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#cleanUp();
    this.#socket.close(code, reason);
  }

  #receive(data: RawData, isBinary: boolean): void {
    if (this.#closed) return;
    const now = Date.now();
    this.#allowance = Math.min(eventStreamLimits.messageBurst, this.#allowance + ((now - this.#allowanceAt) / 1000) * eventStreamLimits.messagesPerSecond);
    this.#allowanceAt = now;
    if (this.#allowance < 1 || this.#queued >= maxQueuedMessages) {
      this.#send({ type: 'error', code: 'rate_limited', message: `more than ${eventStreamLimits.messagesPerSecond} messages a second: this one was ignored` });
      return;
    }
    this.#allowance -= 1;
    this.#queued += 1;
    this.#work = this.#work
      .then(() => this.#handle(data, isBinary))
      .catch((error: unknown) => {
        this.#log.error({ err: error }, 'event stream message failed');
        this.#send({ type: 'error', code: 'internal', message: 'the agent failed to handle this message; its log has the detail' });
      })
      .finally(() => {
        this.#queued -= 1;
      });
  }

  async #handle(data: RawData, isBinary: boolean): Promise<void> {
    if (this.#closed) return;
    const json = isBinary ? undefined : parseJson(rawText(data));
    const parsed = json === undefined ? undefined : clientMessage.safeParse(json);
    if (!this.#signedIn) {
      if (parsed?.success && parsed.data.type === 'authenticate') await this.#authenticateWith(parsed.data.token, true);
      else this.close(eventCloseCodes.unauthenticated, 'the first message must be {"type":"authenticate","token":"…"}');
      return;
    }
    if (!parsed) {
      this.#send({ type: 'error', code: 'invalid', message: 'send each message as one JSON object in a text frame' });
      return;
    }
    if (!parsed.success) {
      this.#answerInvalid(json, parsed.error.issues[0]!);
      return;
    }
    await this.#act(parsed.data);
  }

  async #act(message: ClientMessage): Promise<void> {
    switch (message.type) {
      case 'authenticate':
        return this.#authenticateWith(message.token, false);
      case 'subscribe':
        return this.#subscribe(message.id, message.topic);
      case 'unsubscribe':
        return this.#unsubscribe(message.id);
      case 'ping':
        return this.#send({ type: 'pong', at: Date.now() });
    }
  }

  #answerInvalid(json: unknown, issue: { path: readonly PropertyKey[]; code?: string; message: string; keys?: readonly string[] }): void {
    const field = messageFieldOf(issue);
    const message = field ? `${field}: ${issue.message}` : issue.message;
    const record = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
    if (record.type === 'subscribe') {
      const id = typeof record.id === 'string' && record.id.length > 0 && record.id.length <= 100 ? record.id : null;
      this.#send({ type: 'refused', id, code: 'invalid', message, ...(field && { field }) });
    } else {
      this.#send({ type: 'error', code: 'invalid', message, ...(field && { field }) });
    }
  }

  async #authenticateWith(token: string, first: boolean): Promise<void> {
    let accepted: Authenticated;
    try {
      accepted = await this.#authenticate(token);
    } catch (error) {
      const refused = error instanceof AuthenticationError || (error instanceof ApiProblem && error.status === 401);
      if (!refused) this.#log.error({ err: error }, 'could not check an event stream credential');
      const reason = refused ? 'the token is not a valid access token or API key' : 'the agent could not check the token now';
      if (first) this.close(refused ? eventCloseCodes.unauthenticated : 1011, reason);
      else this.#send({ type: 'error', code: refused ? 'unauthenticated' : 'internal', message: `${reason}; the socket keeps its current credential` });
      return;
    }
    const current = this.#signedIn?.principal;
    if (current && (current.kind !== accepted.principal.kind || current.id !== accepted.principal.id)) {
      this.#send({ type: 'error', code: 'invalid', field: 'token', message: `this socket is signed in as ${current.name}; open another socket for another user or key` });
      return;
    }
    this.#signIn({ ...accepted, token });
  }

  #signIn(signedIn: Authenticated & { token: string }): void {
    clearTimeout(this.#authenticateDeadline);
    clearTimeout(this.#expiry);
    this.#signedIn = signedIn;
    const { principal, expiresAt } = signedIn;
    if (expiresAt !== null) {
      this.#expiry = setTimeout(
        () => this.close(eventCloseCodes.tokenExpired, 'the access token expired: refresh it and authenticate again'),
        Math.min(Math.max(0, expiresAt - Date.now()), 2 ** 31 - 1),
      );
    }
    if (principal.kind === 'apiKey' && !this.#recheck) this.#recheck = setInterval(() => void this.#recheckKey(), this.#keyRecheckMs);
    // A new credential may grant less (a demoted user): end what it no longer allows.
    for (const subscription of [...this.#subscriptions.values()]) {
      const refusal = forbidden(principal, subscription.topic);
      if (!refusal) continue;
      this.#subscriptions.delete(subscription.id);
      this.#hub.remove(subscription);
      this.#send({ type: 'refused', id: subscription.id, ...refusal });
    }
    this.#send({
      type: 'authenticated',
      principal: { kind: principal.kind, id: principal.id, name: principal.name, role: principal.role, permissions: [...principal.permissions] },
      expiresAt,
    });
  }

  async #recheckKey(): Promise<void> {
    const signedIn = this.#signedIn;
    if (!signedIn || this.#closed) return;
    try {
      await this.#authenticate(signedIn.token);
    } catch (error) {
      if (error instanceof AuthenticationError || (error instanceof ApiProblem && error.status === 401)) {
        this.close(eventCloseCodes.unauthenticated, 'the API key was revoked or has expired');
      } else {
        this.#log.warn({ err: error }, 'could not check an event stream API key again; trying again later');
      }
    }
  }

  async #subscribe(id: string, topic: EventTopic): Promise<void> {
    const principal = this.#signedIn!.principal;
    if (this.#subscriptions.has(id)) {
      this.#send({ type: 'refused', id, code: 'invalid', field: 'id', message: `id: this socket already has a subscription ${id}` });
      return;
    }
    if (this.#subscriptions.size >= eventStreamLimits.maxSubscriptions) {
      this.#send({ type: 'refused', id, code: 'too_many', message: `a socket may hold ${eventStreamLimits.maxSubscriptions} subscriptions; unsubscribe one first` });
      return;
    }
    const refusal = forbidden(principal, topic);
    if (refusal) {
      this.#send({ type: 'refused', id, ...refusal });
      return;
    }
    const subscription = new SocketSubscription(id, topic, (message) => this.#send(message));
    this.#subscriptions.set(id, subscription);
    try {
      await this.#hub.add(subscription);
    } catch (error) {
      this.#subscriptions.delete(id);
      if (error instanceof SubscriptionRefused) {
        this.#send({ type: 'refused', id, code: error.code, message: error.message, ...(error.field && { field: error.field }) });
      } else {
        this.#log.warn({ err: error, topic }, 'could not start an event subscription');
        this.#send({ type: 'refused', id, code: 'unavailable', message: 'the agent could not start this subscription now; try again' });
      }
      return;
    }
    if (this.#closed) {
      this.#hub.remove(subscription);
      return;
    }
    this.#send({ type: 'subscribed', id, topic });
    subscription.open();
  }

  #unsubscribe(id: string): void {
    const subscription = this.#subscriptions.get(id);
    if (!subscription) {
      this.#send({ type: 'error', code: 'not_found', field: 'id', message: `id: this socket has no subscription ${id}` });
      return;
    }
    this.#subscriptions.delete(id);
    this.#hub.remove(subscription);
    this.#send({ type: 'unsubscribed', id });
  }

  #send(message: ServerMessage): void {
    if (this.#closed || this.#socket.readyState !== WebSocket.OPEN) return;
    if (this.#socket.bufferedAmount > eventStreamLimits.maxBufferedBytes) {
      this.close(eventCloseCodes.slowConsumer, 'the client reads events too slowly');
      return;
    }
    this.#socket.send(JSON.stringify(message));
  }

  #cleanUp(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#authenticateDeadline);
    clearTimeout(this.#expiry);
    clearInterval(this.#recheck);
    for (const subscription of this.#subscriptions.values()) this.#hub.remove(subscription);
    this.#subscriptions.clear();
  }
}

/** The refusal of `topic` for `principal`, naming the missing permission; undefined when allowed. */
function forbidden(principal: Principal, topic: EventTopic): { code: 'forbidden'; message: string; permission: ReturnType<typeof topicPermission> } | undefined {
  const permission = topicPermission(topic);
  try {
    authorise(principal, permission);
    return undefined;
  } catch (error) {
    if (!(error instanceof ApiProblem)) throw error;
    return { code: 'forbidden', message: error.message, permission };
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
