import { describe, expect, it } from 'vitest';
import { readAgentOutputLine } from '../../../electron/main/localAgent/agentOutput.js';

// The sentences agent/main.ts prints at start (welcome()); LocalAgent.test.ts reads them from a real agent.
const token = 'q3Jz0m7-Yk_2bXr9c8VdL1aPqWsEeTt4uUiIoOpPaAs';

describe('readAgentOutputLine', () => {
  it('reads the URL the agent is running at', () => {
    expect(readAgentOutputLine('Switchyard agent a1b2c3 is running at http://127.0.0.1:41234 (embedded: records in PGlite, queues on the postgres engine)')).toEqual({
      kind: 'url',
      url: 'http://127.0.0.1:41234',
    });
    expect(readAgentOutputLine('Switchyard agent x is running at https://agent.example:7700/ (storage postgres, engines redis, coordination redis)\r')).toEqual({
      kind: 'url',
      url: 'https://agent.example:7700',
    });
  });

  it('reads the one-time setup token', () => {
    expect(readAgentOutputLine(`No users yet. Create the first admin with this one-time setup token: ${token}`)).toEqual({ kind: 'setupToken', token });
  });

  it('ignores log lines and the hint that mentions the URL', () => {
    expect(readAgentOutputLine('{"level":30,"msg":"Switchyard agent a is running at http://127.0.0.1:1 ("}')).toBeUndefined();
    expect(readAgentOutputLine('  (POST http://127.0.0.1:41234/api/v1/setup with {"token", "username", "password"}, or run `switchyard user create --role admin`)')).toBeUndefined();
    expect(readAgentOutputLine(`{"msg":"No users yet. Create the first admin with this one-time setup token: ${token}"}`)).toBeUndefined();
    expect(readAgentOutputLine('No users yet. Create the first admin with this one-time setup token: short')).toBeUndefined();
    expect(readAgentOutputLine('')).toBeUndefined();
  });
});
