/**
 * Reads what the embedded agent tells a person at the terminal (`agent/main.ts`, `welcome()`),
 * between its JSON log lines. The agent has no machine-readable form of these two facts, so the
 * sentences are matched here, and `test/electron/localAgent/agentOutput.test.ts` pins them:
 *
 *   Switchyard agent <id> is running at http://127.0.0.1:41234 (embedded: …)
 *   No users yet. Create the first admin with this one-time setup token: <base64url token>
 *
 * JSON log lines never match: both patterns require the sentence's own words before the value.
 */

/** What one line of the agent's output says, if anything this app needs. */
export type AgentOutputFact = { kind: 'url'; url: string } | { kind: 'setupToken'; token: string };

const runningAt = /^Switchyard agent \S+ is running at (https?:\/\/[^\s()]+)/;
const setupToken = /^No users yet\. .*one-time setup token: ([A-Za-z0-9_-]{16,})\s*$/;

export function readAgentOutputLine(line: string): AgentOutputFact | undefined {
  const trimmed = line.trim();
  const url = runningAt.exec(trimmed);
  if (url?.[1]) return { kind: 'url', url: url[1].replace(/\/+$/, '') };
  const token = setupToken.exec(trimmed);
  if (token?.[1]) return { kind: 'setupToken', token: token[1] };
  return undefined;
}
