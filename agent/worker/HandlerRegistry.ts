import type { Handler } from './Handler.js';

/** Task type names: the same characters as queue names, plus `:` and `/`, at most 128. */
const taskTypePattern = /^[A-Za-z0-9._:/-]{1,128}$/;

/** Handlers by task type. One handler per type; registering a type twice is an error. */
export class HandlerRegistry {
  readonly #handlers = new Map<string, Handler>();

  register(type: string, handler: Handler): this {
    if (!taskTypePattern.test(type)) {
      throw new Error(`invalid task type ${JSON.stringify(type)}: use 1-128 letters, digits and . _ : / -`);
    }
    if (typeof handler !== 'function') throw new Error(`the handler of ${type} is not a function`);
    if (this.#handlers.has(type)) throw new Error(`a handler for ${type} is already registered`);
    this.#handlers.set(type, handler);
    return this;
  }

  /** Registers every entry of a `{ [type]: handler }` map. */
  registerAll(handlers: Readonly<Record<string, Handler>>): this {
    for (const [type, handler] of Object.entries(handlers)) this.register(type, handler);
    return this;
  }

  get(type: string): Handler | undefined {
    return this.#handlers.get(type);
  }

  has(type: string): boolean {
    return this.#handlers.has(type);
  }

  types(): string[] {
    return [...this.#handlers.keys()].sort();
  }
}
