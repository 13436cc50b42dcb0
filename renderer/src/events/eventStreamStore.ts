/**
 * The session's one event stream and its connection status. A stream opens when a session begins
 * and closes when it ends; a renewed session (each token refresh) re-authenticates the open socket.
 */
import { create } from 'zustand';
import { eventsPath } from '../../../shared/api/events.js';
import { apiClient, currentAccessToken, useSessionStore, type SignedIn } from '../state/sessionStore.js';
import { EventStream, type ConnectionStatus } from './EventStream.js';

export const useEventStreamStore = create<ConnectionStatus>()(() => ({ state: 'closed', problem: null }));

/**
 * The stream's `ws:`/`wss:` address under the same base the typed client calls (the agent that
 * served the page, or `/c/<cluster>` of the desktop app's gateway): the client's own URL of an
 * endpoint with `/events` in place of its path.
 */
export function eventStreamUrl(): string {
  const someEndpoint = new URL(apiClient.url('auth.me', {}), location.href);
  someEndpoint.pathname = someEndpoint.pathname.replace(/\/auth\/me$/, eventsPath);
  someEndpoint.protocol = someEndpoint.protocol === 'https:' ? 'wss:' : 'ws:';
  someEndpoint.search = '';
  return someEndpoint.href;
}

let stream: EventStream | undefined;

/** The signed-in session's stream; undefined while nobody is signed in. */
export function currentEventStream(): EventStream | undefined {
  return stream;
}

/** Subscribers to the stream's coming and going, so a hook can subscribe again on a new session. */
const streamListeners = new Set<() => void>();
export function onEventStreamChange(listener: () => void): () => void {
  streamListeners.add(listener);
  return () => streamListeners.delete(listener);
}

function replaceStream(create?: () => EventStream): void {
  stream?.close();
  stream = create?.();
  for (const listener of streamListeners) listener();
}

function openStream(): EventStream {
  return new EventStream({
    url: eventStreamUrl,
    token: currentAccessToken,
    onStatus: (status) => useEventStreamStore.setState(status),
  });
}

/**
 * Follows the session: a stream per signed-in user (in the desktop app, per cluster: its users'
 * ids name the cluster), re-authenticated whenever the session is renewed (each token refresh
 * makes a new session object).
 */
function follow(session: SignedIn | null, before: SignedIn | null): void {
  if (!session) {
    if (stream) replaceStream();
    return;
  }
  if (!stream || !before || before.user.id !== session.user.id) replaceStream(openStream);
  else if (before !== session) stream.reauthenticate();
}

follow(useSessionStore.getState().session, null);
useSessionStore.subscribe((state, previous) => follow(state.session, previous.session));
