import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../../electron/main/ipc/isTrustedSender.js';

const gateway = 'http://127.0.0.1:41234';

describe('isTrustedSender', () => {
  it("trusts the gateway's own pages", () => {
    expect(isTrustedSender(`${gateway}/`, gateway)).toBe(true);
    expect(isTrustedSender(`${gateway}/index.html#/queues`, gateway)).toBe(true);
    expect(isTrustedSender(`${gateway}/c/prod/?view=tasks`, gateway)).toBe(true);
  });

  it('refuses every other origin, scheme and form', () => {
    for (const url of [
      'http://127.0.0.1:41235/',
      'http://localhost:41234/',
      'https://127.0.0.1:41234/',
      'http://user:secret@127.0.0.1:41234/',
      'file:///opt/Switchyard/resources/app.asar/out/renderer/index.html',
      'data:text/html,<script>1</script>',
      'about:blank',
      'devtools://devtools/bundled/inspector.html',
      'https://evil.example/',
      'not a url',
      '',
      undefined,
    ]) {
      expect(isTrustedSender(url, gateway), String(url)).toBe(false);
    }
  });
});
