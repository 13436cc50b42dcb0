import type { ClusterProfile } from '../../../shared/clusters.js';
import type { Upstream, UpstreamOpener } from './Upstream.js';

/**
 * The upstream of a `direct` profile: the agent's own URL. `origin` keeps a path prefix when the
 * URL has one (an agent behind a reverse proxy at `https://ops.example/switchyard`), without the
 * trailing slash. There is nothing to open or close.
 */
export const openDirectUpstream: UpstreamOpener = async (profile: ClusterProfile): Promise<Upstream> => {
  if (profile.connection.kind !== 'direct') throw new Error(`cluster ${profile.name} is not a direct connection`);
  const url = new URL(profile.connection.url);
  return { origin: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, close: async () => undefined };
};
