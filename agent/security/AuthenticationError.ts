/**
 * Why a credential was refused. The HTTP layer answers 401 for each (403 for `disabled_user` is
 * its choice); the reason is for logs, metrics and the client's next step (`expired_token`: refresh;
 * `reused_refresh_token` / `revoked`: sign in again).
 */
export type AuthenticationFailure =
  | 'invalid_token'
  | 'expired_token'
  | 'invalid_credentials'
  | 'reused_refresh_token'
  | 'revoked'
  | 'disabled_user'
  | 'invalid_api_key'
  | 'invalid_setup_token';

/** A credential (password, token, key) that was refused. The message never contains the secret. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';

  constructor(
    readonly reason: AuthenticationFailure,
    message: string,
  ) {
    super(message);
  }
}
