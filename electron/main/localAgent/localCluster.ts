/**
 * "This computer" in the cluster list: a direct profile with the fixed id `localClusterId`
 * pointing at the embedded agent's URL. It is added the first time the agent runs and its URL is
 * updated when it changes (the agent listens on any free port at each app start); its name and
 * colour are the user's to change. Plain Node over the `ClusterService`.
 */
import { localClusterId, type ClusterInput } from '../../../shared/clusters.js';
import type { ClusterService } from '../clusters/ClusterService.js';

export const localClusterName = 'This computer';
export const localClusterColour = '#64748b';

/** Adds or updates the profile of This computer so that it points at `url`. */
export async function syncLocalCluster(service: ClusterService, url: string): Promise<void> {
  const link = service.link(localClusterId);
  if (!link) {
    await service.add({ name: localClusterName, colour: localClusterColour, connection: { kind: 'direct', url } }, localClusterId);
    return;
  }
  const { profile } = link;
  if (profile.connection.kind === 'direct' && profile.connection.url === url) return;
  const input: ClusterInput = { name: profile.name, colour: profile.colour, connection: { kind: 'direct', url } };
  await service.update(localClusterId, input);
}

/**
 * The agent flags `npm start -- …` passed through the launcher (`SWITCHYARD_LOCAL_AGENT_FLAGS`,
 * a JSON array of strings); none when unset or not such an array.
 */
export function localAgentFlags(environment: NodeJS.ProcessEnv = process.env): string[] {
  const text = environment['SWITCHYARD_LOCAL_AGENT_FLAGS'];
  if (!text) return [];
  try {
    const flags: unknown = JSON.parse(text);
    return Array.isArray(flags) && flags.every((flag) => typeof flag === 'string') ? flags : [];
  } catch {
    return [];
  }
}
