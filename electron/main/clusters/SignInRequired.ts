/** A cluster has no usable credential: none was ever stored, it was signed out, or the agent ended its session. */
export class SignInRequired extends Error {
  constructor(
    readonly clusterId: string,
    /** What happened, e.g. `the agent ended the session (the refresh token was revoked)`. */
    readonly reason: string,
  ) {
    super(`cluster ${clusterId}: ${reason}; sign in to it again (or give it an API key) in the Clusters view`);
    this.name = 'SignInRequired';
  }
}
