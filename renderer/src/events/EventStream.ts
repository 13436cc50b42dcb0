/**
 * One WebSocket to the agent's event stream (`GET /api/v1/events`, protocol in docs/events.md),
 * shared by every view of a signed-in session.
 *
 * - **Authentication.** When the session has an access token, the first message is
 *   `{type:'authenticate', token}`; without one (the desktop app's gateway attaches the cluster's
 *   credential to the upgrade itself) nothing is sent and the agent answers `authenticated` at once.
 *   `reauthenticate()` sends the fresh token on the open socket after each refresh, so the socket
 *   outlives the 15-minute access token instead of being closed with 4440.
 * - **Subscriptions** are kept here by id (`s1`, `s2`, …) with their listeners; each is sent once
 *   the socket is authenticated and sent again after every reconnect.
 * - **Reconnecting.** Any close but ours is followed by a new socket after a backoff: 0.5 s,
 *   doubling to at most 30 s, with up to 25 % jitter; it resets once a socket is authenticated.
 */
import { serverMessage, type EventData, type EventKind, type EventTopic, type ServerMessage } from '../../../shared/api/events.js';

/** `connecting`: opening or authenticating; `open`: events flow; `reconnecting`: waiting to try again; `closed`: signed out. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Why the last socket ended or what the agent refused, for the status line; null when all is well. */
  problem: string | null;
}

export type EventListener<K extends EventKind = EventKind> = (data: EventData<K>, at: number) => void;

export interface EventStreamOptions {
  /** The `ws:`/`wss:` address of the stream, read at each connect (the base may change). */
  url(): string;
  /** The access token to authenticate with, or undefined when the upgrade is authenticated for us. */
  token(): string | undefined;
  onStatus(status: ConnectionStatus): void;
  /** Opens a socket; the browser's `WebSocket` by default (tests pass another implementation). */
  openSocket?(url: string): WebSocket;
}

/** Backoff bounds, in milliseconds. */
const firstRetryMs = 500;
const longestRetryMs = 30_000;

interface Subscription {
  topic: EventTopic;
  listener: EventListener;
}

export class EventStream {
  readonly #options: EventStreamOptions;
  readonly #subscriptions = new Map<string, Subscription>();
  #socket: WebSocket | undefined;
  #authenticated = false;
  #nextId = 1;
  #failures = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(options: EventStreamOptions) {
    this.#options = options;
    this.#connect();
  }

  /** Starts a subscription to `topic`; answers the function that ends it. */
  subscribe<K extends EventKind>(topic: Extract<EventTopic, { kind: K }>, listener: EventListener<K>): () => void {
    const id = `s${this.#nextId++}`;
    this.#subscriptions.set(id, { topic, listener: listener as EventListener });
    if (this.#authenticated) this.#send({ type: 'subscribe', id, topic });
    return () => {
      if (!this.#subscriptions.delete(id)) return;
      if (this.#authenticated) this.#send({ type: 'unsubscribe', id });
    };
  }

  /** Sends the session's current token on the open socket (after a refresh); nothing without one. */
  reauthenticate(): void {
    const token = this.#options.token();
    if (this.#authenticated && token) this.#send({ type: 'authenticate', token });
  }

  /** Closes the socket for good (sign-out). */
  close(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    this.#socket?.close(1000, 'signed out');
    this.#socket = undefined;
    this.#options.onStatus({ state: 'closed', problem: null });
  }

  #connect(): void {
    if (this.#stopped) return;
    this.#authenticated = false;
    this.#options.onStatus({ state: 'connecting', problem: null });
    let socket: WebSocket;
    try {
      const url = this.#options.url();
      socket = this.#options.openSocket ? this.#options.openSocket(url) : new WebSocket(url);
    } catch (error) {
      this.#retry(error instanceof Error ? error.message : String(error));
      return;
    }
    this.#socket = socket;
    socket.addEventListener('open', () => {
      const token = this.#options.token();
      if (token) this.#send({ type: 'authenticate', token });
    });
    socket.addEventListener('message', (event) => {
      if (socket === this.#socket && typeof event.data === 'string') this.#receive(event.data);
    });
    socket.addEventListener('close', (event) => {
      if (socket !== this.#socket || this.#stopped) return;
      this.#socket = undefined;
      this.#authenticated = false;
      this.#retry(closeReason(event.code, event.reason));
    });
  }

  #retry(problem: string): void {
    const delay = Math.min(longestRetryMs, firstRetryMs * 2 ** this.#failures) * (1 + Math.random() * 0.25);
    this.#failures += 1;
    this.#options.onStatus({ state: 'reconnecting', problem });
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }

  #receive(text: string): void {
    let message: ServerMessage;
    try {
      const parsed = serverMessage.safeParse(JSON.parse(text));
      if (!parsed.success) return;
      message = parsed.data;
    } catch {
      return;
    }
    switch (message.type) {
      case 'authenticated':
        if (!this.#authenticated) {
          this.#authenticated = true;
          this.#failures = 0;
          for (const [id, { topic }] of this.#subscriptions) this.#send({ type: 'subscribe', id, topic });
        }
        this.#options.onStatus({ state: 'open', problem: null });
        return;
      case 'event':
        this.#subscriptions.get(message.id)?.listener(message.data, message.at);
        return;
      case 'refused':
        this.#options.onStatus({ state: 'open', problem: `live updates refused: ${message.message}` });
        return;
      case 'error':
        if (message.code !== 'not_found') this.#options.onStatus({ state: 'open', problem: `live updates: ${message.message}` });
        return;
      default:
        return;
    }
  }

  #send(message: object): void {
    const socket = this.#socket;
    if (socket && socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  }
}

/** What a close code means, for the status line (docs/events.md, "Limits and close codes"). */
function closeReason(code: number, reason: string): string {
  const meanings: Record<number, string> = {
    1001: 'the agent is shutting down',
    1006: 'the connection was lost',
    1011: 'the agent could not check the credential',
    1013: 'the agent holds too many sockets',
    4401: 'the agent did not accept the credential',
    4429: 'events were read too slowly',
    4440: 'the access token expired',
  };
  return meanings[code] ?? (reason || `closed with code ${code}`);
}
