import type { ClusterProfile } from '../../../shared/clusters.js';
import type { Upstream } from './Upstream.js';

/**
 * One cluster as the gateway uses it (`ClusterLink` is one): where its agent is, and the
 * credential to send there.
 */
export interface GatewayCluster {
  readonly profile: ClusterProfile;
  /** The upstream, opened on first use; rejects with `UnknownHostKeyError`, `ChangedHostKeyError` or why it cannot be reached. */
  upstream(): Promise<Upstream>;
  /** Drops an upstream that failed, so that the next request opens it again. */
  discard(upstream: Upstream): Promise<void>;
  readonly session: {
    /** The access token or API key to send; undefined without a credential; rejects with `SignInRequired` when the session ended. */
    token(): Promise<string | undefined>;
    /** After a 401 to `token`: the token to try once more with, or undefined. */
    rejected(token: string): Promise<string | undefined>;
    /** Calls `listener` with every new access token until the returned function is called. */
    watch(listener: (token: string) => void): () => void;
  };
}

/** Finds a cluster by its id; undefined when there is none. */
export type GatewayClusters = (clusterId: string) => GatewayCluster | undefined;
