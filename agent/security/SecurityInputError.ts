/**
 * A value a security operation cannot accept (a taken username, a weak password, a scope beyond
 * the creator's role). `field` names the input, so the HTTP layer answers 400 naming it and the
 * CLI names the flag.
 */
export class SecurityInputError extends Error {
  override readonly name = 'SecurityInputError';

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
