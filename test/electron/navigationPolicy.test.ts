import { describe, expect, it } from 'vitest';
import {
  externalLinkHosts,
  isAllowedExternalLink,
  isAppNavigation,
  isPermissionAllowed,
} from '../../electron/main/navigationPolicy.js';

describe('isAppNavigation', () => {
  const packaged = 'file:///opt/Switchyard/resources/app.asar/out/renderer/index.html';
  const devServer = 'http://localhost:5173/';

  it('allows reloading the app document', () => {
    expect(isAppNavigation(packaged, packaged)).toBe(true);
    expect(isAppNavigation(`${packaged}#/queues`, packaged)).toBe(true);
    expect(isAppNavigation('http://localhost:5173/index.html', devServer)).toBe(true);
  });

  it('denies every other document', () => {
    expect(isAppNavigation('file:///etc/passwd', packaged)).toBe(false);
    expect(isAppNavigation('https://evil.example/', packaged)).toBe(false);
    expect(isAppNavigation('http://localhost:5174/', devServer)).toBe(false);
    expect(isAppNavigation('https://localhost:5173/', devServer)).toBe(false);
    expect(isAppNavigation('http://127.0.0.1:5173/', devServer)).toBe(false);
    expect(isAppNavigation('javascript:alert(1)', devServer)).toBe(false);
    expect(isAppNavigation('not a url', devServer)).toBe(false);
  });
});

describe('isAllowedExternalLink', () => {
  it('opens https links to allowlisted hosts', () => {
    expect(externalLinkHosts).toContain('github.com');
    expect(isAllowedExternalLink('https://github.com/switchyard/switchyard/issues/1')).toBe(true);
    expect(isAllowedExternalLink('https://example.org/', ['example.org'])).toBe(true);
  });

  it('drops other schemes, hosts, look-alikes and credentials', () => {
    expect(isAllowedExternalLink('http://github.com/')).toBe(false);
    expect(isAllowedExternalLink('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternalLink('https://gist.github.com/')).toBe(false);
    expect(isAllowedExternalLink('https://github.com.evil.example/')).toBe(false);
    expect(isAllowedExternalLink('https://github.com@evil.example/')).toBe(false);
    expect(isAllowedExternalLink('https://user:secret@github.com/')).toBe(false);
    expect(isAllowedExternalLink('smb://github.com/share')).toBe(false);
    expect(isAllowedExternalLink('')).toBe(false);
  });
});

describe('isPermissionAllowed', () => {
  it('denies permission requests by default', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      expect(isPermissionAllowed(permission)).toBe(false);
    }
  });
});
