import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterRegistry } from '../../../electron/main/clusters/ClusterRegistry.js';
import { KeychainSecretStore } from '../../../electron/main/secrets/KeychainSecretStore.js';
import { clusterExportFile, localClusterId, type ClusterInput } from '../../../shared/clusters.js';
import { keyringSkipReason, startKeyring, type TestKeyring } from '../../helpers/keyring.js';

const skipReason = keyringSkipReason();
if (skipReason) console.warn(`ClusterRegistry.test.ts: ${skipReason}`);

const direct = (name: string, url = 'https://agent.example:7700'): ClusterInput => ({ name, colour: '#3b82f6', connection: { kind: 'direct', url } });
const overSsh: ClusterInput = {
  name: 'Edge',
  colour: '#10b981',
  connection: { kind: 'ssh', host: 'edge.example', port: 2222, username: 'ops', privateKeyPath: '/home/ops/.ssh/id_ed25519', agentPort: 7701 },
};

describe.skipIf(skipReason !== '')(`ClusterRegistry (profiles on disk, secrets in the keychain)${skipReason ? ` — ${skipReason}` : ''}`, () => {
  let keyring: TestKeyring;
  let secrets: KeychainSecretStore;
  let folder: string;
  beforeAll(async () => {
    keyring = await startKeyring();
    secrets = await KeychainSecretStore.open();
    folder = await mkdtemp(join(tmpdir(), 'switchyard-registry-'));
  });
  afterAll(async () => keyring?.close());

  const freshPath = async () => join(await mkdtemp(join(folder, 'case-')), 'clusters.json');

  it('adds profiles under unique ids made from their names, and reads them back from the file', async () => {
    const path = await freshPath();
    const registry = await ClusterRegistry.open(path, secrets);
    expect(registry.list()).toEqual([]);

    const first = await registry.add(direct('Prod EU'));
    const second = await registry.add(direct('prod eu!', 'http://10.0.0.5:7700'));
    const edge = await registry.add(overSsh);
    const local = await registry.add(direct('This computer', 'http://127.0.0.1:7700'), localClusterId);
    const namedLikeLocal = await registry.add(direct('This computer'));
    expect([first.id, second.id, edge.id, local.id, namedLikeLocal.id]).toEqual(['prod-eu', 'prod-eu-2', 'edge', 'this-computer', 'this-computer-2']);
    await expect(registry.add(direct('Again'), localClusterId)).rejects.toThrow('a cluster with the id this-computer exists already');

    const updated = await registry.update('prod-eu', { ...direct('Production EU'), colour: '#ef4444' });
    expect(updated).toMatchObject({ id: 'prod-eu', name: 'Production EU', colour: '#ef4444' });

    const reopened = await ClusterRegistry.open(path, secrets);
    expect(reopened.list()).toEqual(registry.list());
    expect(reopened.get('edge')).toEqual({ ...overSsh, id: 'edge' });
    expect(reopened.list().map((profile) => profile.name)).toEqual(['Production EU', 'prod eu!', 'Edge', 'This computer', 'This computer']);
  });

  it('refuses a bad profile with the field at fault, and an unknown id', async () => {
    const registry = await ClusterRegistry.open(await freshPath(), secrets);
    await expect(registry.add(direct('Bad', 'ftp://agent.example'))).rejects.toThrow('connection.url: url must be an http:// or https:// address');
    await expect(registry.add({ ...direct('Bad'), colour: 'blue' })).rejects.toThrow('colour: colour must be #rrggbb');
    await expect(registry.update('nope', direct('X'))).rejects.toThrow('there is no cluster nope');
    await expect(registry.remove('nope')).rejects.toThrow('there is no cluster nope');
    expect(registry.list()).toEqual([]);
  });

  it('writes atomically: a new file (mode 0600) replaces the old, no temporary file stays, and readers never see a partial file', async () => {
    const path = await freshPath();
    const registry = await ClusterRegistry.open(path, secrets);
    await registry.add(direct('Seed'));
    const before = await stat(path);
    expect(before.mode & 0o777).toBe(0o600);
    // One write replaces the file (a new inode). Checked on one write: over many, a freed inode may be reused.
    await registry.add(direct('Second'));
    expect((await stat(path)).ino).not.toBe(before.ino);

    let reads = 0;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        JSON.parse(await readFile(path, 'utf8'));
        reads += 1;
      }
    })();
    await Promise.all(Array.from({ length: 30 }, (_, index) => registry.add(direct(`Cluster ${index}`))));
    writing = false;
    await reader;

    expect(reads).toBeGreaterThan(0);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(path, '..'))).toEqual(['clusters.json']);
    const reopened = await ClusterRegistry.open(path, secrets);
    expect(reopened.list()).toHaveLength(32);
    expect(new Set(reopened.list().map((profile) => profile.id)).size).toBe(32);
  });

  it('refuses a corrupt file with an error naming the file and the fault, and leaves the file as it was', async () => {
    const path = await freshPath();
    await writeFile(path, '{"format":"switchyard-cluster-registry","version":1,"clusters":[');
    await expect(ClusterRegistry.open(path, secrets)).rejects.toThrow(`the cluster registry ${path} cannot be read: it is not JSON`);

    const profile = { ...direct('A'), id: 'a' };
    await writeFile(path, JSON.stringify({ format: 'switchyard-cluster-registry', version: 1, clusters: [profile, { ...profile, id: 'b', colour: 'red' }] }));
    await expect(ClusterRegistry.open(path, secrets)).rejects.toThrow(`the cluster registry ${path} cannot be read: clusters[1].colour: colour must be #rrggbb; fix the file or move it away`);

    const text = JSON.stringify({ format: 'switchyard-cluster-registry', version: 1, clusters: [profile, profile] });
    await writeFile(path, text);
    await expect(ClusterRegistry.open(path, secrets)).rejects.toThrow('clusters[1].id: the id a appears twice');
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('exports profiles without ids or secrets, and imports them, renaming clashing names', async () => {
    const source = await ClusterRegistry.open(await freshPath(), secrets);
    await source.add(direct('Prod'));
    await source.add(overSsh);
    await secrets.set('prod', 'apiKey', 'sy_exported_never');
    await secrets.set('edge', 'sshPassphrase', 'passphrase never exported');
    const exportPath = join(folder, 'export.json');
    expect(await source.exportTo(exportPath)).toBe(2);
    const text = await readFile(exportPath, 'utf8');
    expect(text).not.toContain('never');
    const exported = clusterExportFile.parse(JSON.parse(text));
    expect(exported.clusters).toEqual([direct('Prod'), overSsh]);

    const target = await ClusterRegistry.open(await freshPath(), secrets);
    await target.add(direct('Prod', 'http://other.example:7700'));
    const imported = await target.importFrom(exportPath);
    expect(imported.map((profile) => [profile.id, profile.name])).toEqual([
      ['prod-2', 'Prod (2)'],
      ['edge', 'Edge'],
    ]);
    const again = await target.importFrom(exportPath);
    expect(again.map((profile) => profile.name)).toEqual(['Prod (3)', 'Edge (2)']);
    expect(target.list()).toHaveLength(5);
  });

  it('refuses an import with a bad entry, naming it, and imports nothing from it', async () => {
    const registry = await ClusterRegistry.open(await freshPath(), secrets);
    const path = join(folder, 'bad-export.json');
    await writeFile(path, JSON.stringify({ format: 'switchyard-clusters', version: 1, clusters: [direct('Good'), direct('Bad', 'agent.example:7700')] }));
    await expect(registry.importFrom(path)).rejects.toThrow(`${path} is not a cluster export file: clusters[1].connection.url: url must be an http:// or https:// address`);
    await writeFile(path, JSON.stringify({ format: 'something-else', version: 1, clusters: [] }));
    await expect(registry.importFrom(path)).rejects.toThrow(`${path} is not a cluster export file: format:`);
    await expect(registry.importFrom(join(folder, 'missing.json'))).rejects.toThrow(/cannot read .*missing\.json: ENOENT/);
    expect(registry.list()).toEqual([]);
  });

  it('removes a profile and deletes its secrets from the keychain, and only its own', async () => {
    const registry = await ClusterRegistry.open(await freshPath(), secrets);
    await registry.add(direct('Gone'));
    await registry.add(direct('Kept'));
    await secrets.set('gone', 'refreshToken', 'gone-refresh');
    await secrets.set('gone', 'sshPassphrase', 'gone-passphrase');
    await secrets.set('kept', 'refreshToken', 'kept-refresh');

    await registry.remove('gone');
    expect(registry.list().map((profile) => profile.id)).toEqual(['kept']);
    expect(await secrets.get('gone', 'refreshToken')).toBeUndefined();
    expect(await secrets.get('gone', 'sshPassphrase')).toBeUndefined();
    expect(await secrets.get('kept', 'refreshToken')).toBe('kept-refresh');
  });
});
