/** One API key: name, public prefix, scopes, who made it and when, expiry, last use, and Revoke (confirmed) while it is live. */
import { formatTime } from '../components/formatTime.js';
import { ActionButton } from '../controls/ActionButton.js';
import { useKeysStore, type ApiKeyInfo } from './keysStore.js';

/** `creatorName` is the creator's username when the users list has it, else their id. */
export function ApiKeyRow({ apiKey, creatorName }: { apiKey: ApiKeyInfo; creatorName: string }) {
  const revoke = useKeysStore((state) => state.revoke);
  const revoked = apiKey.revokedAt !== null;
  return (
    <tr data-key={apiKey.name} className={revoked ? 'revoked' : undefined}>
      <th scope="row">{apiKey.name}</th>
      <td>
        <code>{apiKey.prefix}</code>
      </td>
      <td>{apiKey.scopes.join(', ')}</td>
      <td>
        {creatorName} <span className="role">{apiKey.createdByRole}</span>
      </td>
      <td>{formatTime(apiKey.createdAt)}</td>
      <td>{formatTime(apiKey.expiresAt)}</td>
      <td>{formatTime(apiKey.lastUsedAt)}</td>
      <td className="status">{revoked ? `revoked ${formatTime(apiKey.revokedAt)}` : 'active'}</td>
      <td className="row-actions">
        {revoked ? null : (
          <ActionButton
            label="Revoke"
            busyLabel="Revoking…"
            danger
            confirm={`Revoke ${apiKey.name}? Anything using it is refused from now on.`}
            onAction={() => revoke(apiKey.id)}
          />
        )}
      </td>
    </tr>
  );
}
