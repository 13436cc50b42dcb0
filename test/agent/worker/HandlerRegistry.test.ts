import { describe, expect, it } from 'vitest';
import { HandlerRegistry } from '../../../agent/worker/HandlerRegistry.js';

const handler = async (): Promise<string> => 'ok';

describe('HandlerRegistry', () => {
  it('finds handlers by task type', () => {
    const registry = new HandlerRegistry().register('mail.send', handler).registerAll({ 'b/x': handler, 'a:y': handler });
    expect(registry.get('mail.send')).toBe(handler);
    expect(registry.has('nope')).toBe(false);
    expect(registry.get('nope')).toBeUndefined();
    expect(registry.types()).toEqual(['a:y', 'b/x', 'mail.send']);
  });

  it('refuses a second handler for one type, bad type names and non-functions', () => {
    const registry = new HandlerRegistry().register('mail.send', handler);
    expect(() => registry.register('mail.send', handler)).toThrow(/already registered/);
    expect(() => registry.register('', handler)).toThrow(/invalid task type/);
    expect(() => registry.register('has space', handler)).toThrow(/invalid task type/);
    expect(() => registry.register('fine', 'not a function' as never)).toThrow(/not a function/);
  });
});
