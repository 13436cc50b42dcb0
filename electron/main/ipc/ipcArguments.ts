/**
 * The arguments of every invoke channel of `shared/ipc.ts`, as zod tuples: what the renderer may
 * send, checked in the main process before any handler runs (the renderer is a web page and is
 * never trusted). A tuple takes exactly its items: extra arguments are refused too.
 */
import { z } from 'zod';
import { clusterInput, clusterProfile } from '../../../shared/clusters.js';
import type { IpcChannel } from '../../../shared/ipc.js';

const id = clusterProfile.shape.id.describe('id');
const credentials = z.strictObject({
  username: z.string().trim().min(1, 'username must not be empty').max(200),
  password: z.string().min(1, 'password must not be empty').max(1_024),
});
const secretText = (name: string, max: number) => z.string().max(max, `${name} is too long`);

/** Each channel's argument tuple, and the name of each argument for messages. */
export const ipcArguments = {
  'clusters:list': z.tuple([]),
  'clusters:add': z.tuple([clusterInput]),
  'clusters:update': z.tuple([id, clusterInput]),
  'clusters:remove': z.tuple([id]),
  'clusters:signIn': z.tuple([id, credentials]),
  'clusters:setUp': z.tuple([id, credentials]),
  'clusters:useApiKey': z.tuple([id, secretText('the API key', 1_024).trim().min(1, 'the API key must not be empty')]),
  'clusters:signOut': z.tuple([id]),
  'clusters:setKeyPassphrase': z.tuple([id, secretText('the passphrase', 4_096)]),
  'clusters:trustHostKey': z.tuple([id, z.string().min(1).max(200)]),
  'clusters:export': z.tuple([]),
  'clusters:import': z.tuple([]),
} as const satisfies Record<IpcChannel, z.ZodTuple>;

const argumentNames: Record<IpcChannel, readonly string[]> = {
  'clusters:list': [],
  'clusters:add': ['input'],
  'clusters:update': ['id', 'input'],
  'clusters:remove': ['id'],
  'clusters:signIn': ['id', 'credentials'],
  'clusters:setUp': ['id', 'credentials'],
  'clusters:useApiKey': ['id', 'apiKey'],
  'clusters:signOut': ['id'],
  'clusters:setKeyPassphrase': ['id', 'passphrase'],
  'clusters:trustHostKey': ['id', 'fingerprint'],
  'clusters:export': [],
  'clusters:import': [],
};

/** The first problem of a bad call, naming the argument and field: `input.connection.url: …`. */
export function describeArgumentProblem(channel: IpcChannel, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${channel}: invalid arguments`;
  const [index, ...rest] = issue.path;
  const name = typeof index === 'number' ? (argumentNames[channel][index] ?? `argument ${index + 1}`) : 'arguments';
  const where = [name, ...rest.map(String)].join('.');
  const message = issue.code === 'too_big' && issue.path.length === 0 ? `takes ${argumentNames[channel].length} arguments` : issue.message;
  return `${channel}: ${where}: ${message}`;
}
