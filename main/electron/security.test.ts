import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WEB_CSP } from '../web-host/static';
import { APP_CSP, externalUrlToOpen, isAppUrl, rendererFileFor, windowOptions } from './security';

describe('Electron window hardening', () => {
  it('isolates the renderer: context isolation, sandbox, no Node, no webviews', () => {
    const prefs = windowOptions('/app/dist/preload/index.cjs').webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/dist/preload/index.cjs',
    });
  });

  it('treats only the app origin as the app', () => {
    expect(isAppUrl('vc2-app://app/index.html')).toBe(true);
    expect(isAppUrl('vc2-app://other/index.html')).toBe(false);
    expect(isAppUrl('https://huggingface.co/')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('opens only https links externally', () => {
    expect(externalUrlToOpen('https://huggingface.co/datasets/OpenGVLab/VideoChat2-IT')).toBe('https://huggingface.co/datasets/OpenGVLab/VideoChat2-IT');
    expect(externalUrlToOpen('http://example.com/')).toBeNull();
    expect(externalUrlToOpen('file:///etc/passwd')).toBeNull();
    expect(externalUrlToOpen('javascript:alert(1)')).toBeNull();
    expect(externalUrlToOpen('https://user:pw@example.com/')).toBeNull();
  });

  it('serves only files inside the renderer folder', () => {
    const dir = '/app/dist/renderer';
    expect(rendererFileFor('vc2-app://app/index.html', dir, join, sep)).toBe('/app/dist/renderer/index.html');
    expect(rendererFileFor('vc2-app://app/', dir, join, sep)).toBe('/app/dist/renderer/index.html');
    expect(rendererFileFor('vc2-app://app/assets/a.js', dir, join, sep)).toBe('/app/dist/renderer/assets/a.js');
    // The URL parser folds dot segments into the root, so this stays inside the renderer folder.
    expect(rendererFileFor('vc2-app://app/%2e%2e/%2e%2e/etc/passwd', dir, join, sep)).toBe('/app/dist/renderer/etc/passwd');
    expect(rendererFileFor('vc2-app://app/..%2f..%2fsecret', dir, join, sep)).toBeNull();
    expect(rendererFileFor('https://evil.example/index.html', dir, join, sep)).toBeNull();
  });

  it('ships a strict Content-Security-Policy in the page: no inline or remote script, no eval, wasm compiled (ffmpeg.wasm)', () => {
    const html = readFileSync('renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(APP_CSP).toBe(WEB_CSP);
    expect(`${meta}; frame-ancestors 'none'`).toBe(WEB_CSP);
    for (const policy of [meta, APP_CSP]) {
      expect(policy).toContain("default-src 'self'");
      // Exactly what compiling ffmpeg.wasm's core needs is added to script-src, nothing else.
      expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval';");
      expect(policy).toContain("object-src 'none'");
      expect(policy).not.toMatch(/'unsafe-inline'|'unsafe-eval'|https?:|\*/);
    }
  });
});
