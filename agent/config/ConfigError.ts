/** A setting the agent cannot start with. `setting` names the flag and the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
  }
}
