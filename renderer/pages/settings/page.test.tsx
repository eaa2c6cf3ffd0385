import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../../shared/api/models';
import { fakeTransport } from '../../testing/fake-transport';
import { setTransport } from '../../transport/transport';
import { SettingsPage } from './page';
import { connectSettingsStore, useSettingsStore } from './store';

const base: Settings = {
  defaultLibraryPath: '/home/r/VideoChat2-IT',
  hfEndpoint: 'https://huggingface.co',
  hfEndpointSource: 'default',
  hfTokenSet: false,
  hfTokenSource: null,
  hfTokenStorage: 'the system keychain (Electron safeStorage)',
  downloadConcurrency: 4,
  bandwidthLimitMBps: 0,
  deleteArchivesAfterExtract: false,
  watchDownloads: false,
  downloadsFolder: '',
  ffmpegPath: '',
  mirrors: {},
};

describe('Settings page', () => {
  beforeEach(() => useSettingsStore.setState(useSettingsStore.getInitialState(), true));
  afterEach(() => {
    cleanup();
    setTransport(null);
  });

  it('saves a token, clears the field and shows only that a token is saved', async () => {
    let settings = base;
    const fake = fakeTransport({
      'settings.get': () => settings,
      'settings.setHfToken': () => {
        settings = { ...settings, hfTokenSet: true, hfTokenSource: 'settings' };
        return settings;
      },
    });
    setTransport(fake.transport);
    connectSettingsStore();
    render(<SettingsPage />);
    expect(await screen.findByText('No token is set.')).toBeTruthy();
    expect(screen.getByText(/gated dataset/)).toBeTruthy();

    const input = screen.getByLabelText('New token') as HTMLInputElement;
    expect(input.type).toBe('password');
    fireEvent.change(input, { target: { value: 'hf_0123456789abcdef' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save token' })));

    expect(fake.calls.find((c) => c.method === 'settings.setHfToken')?.args).toEqual({ token: 'hf_0123456789abcdef' });
    expect(input.value).toBe('');
    expect(screen.getByTestId('token-status').textContent).toBe('A token is saved in the system keychain (Electron safeStorage).');
    expect(document.body.textContent).not.toContain('hf_0123456789abcdef');
  });

  it('checks fields with the contract schema before anything is sent', async () => {
    const fake = fakeTransport({ 'settings.get': () => base, 'settings.update': () => base });
    setTransport(fake.transport);
    connectSettingsStore();
    render(<SettingsPage />);
    fireEvent.change(await screen.findByLabelText('Hugging Face endpoint'), { target: { value: 'ftp://mirror' } });
    fireEvent.change(screen.getByLabelText('Parallel downloads'), { target: { value: '99' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save settings' })));
    expect(screen.getByText(/must be an http\(s\) URL/)).toBeTruthy();
    expect(screen.getByText(/at most 32 downloads at a time/)).toBeTruthy();
    expect(fake.calls.some((c) => c.method === 'settings.update')).toBe(false);
  });

  it('applies settings changed elsewhere (another window) as they arrive', async () => {
    const fake = fakeTransport({ 'settings.get': () => base });
    setTransport(fake.transport);
    connectSettingsStore();
    render(<SettingsPage />);
    await screen.findByText('No token is set.');
    act(() => fake.emit('settings.changed', { ...base, hfTokenSet: true, hfTokenSource: 'env' }));
    expect(screen.getByTestId('token-status').textContent).toMatch(/HF_TOKEN environment variable/);
  });

  it('sets a mirror for a plain-HTTP source after checking it with the contract schema, and clears it', async () => {
    let settings = base;
    const fake = fakeTransport({
      'settings.get': () => settings,
      'settings.setMirror': (args) => {
        const { sourceId, baseUrl } = args as { sourceId: string; baseUrl: string | null };
        const mirrors = { ...settings.mirrors };
        if (baseUrl) mirrors[sourceId] = baseUrl;
        else delete mirrors[sourceId];
        settings = { ...settings, mirrors };
        return settings;
      },
    });
    setTransport(fake.transport);
    connectSettingsStore();
    render(<SettingsPage />);
    const coco = (await screen.findByRole('form', { name: 'Mirror for COCO 2014 images' })) as HTMLFormElement;
    // Hugging Face sources are not offered: they follow the endpoint setting.
    expect(screen.queryByRole('form', { name: /Mirror for M3IT/ })).toBeNull();
    const input = coco.querySelector('input') as HTMLInputElement;
    fireEvent.change(input, { target: { value: 'http://user:pw@10.0.0.5/' } });
    await act(async () => fireEvent.click(within(coco).getByRole('button', { name: 'Save mirror' })));
    expect(within(coco).getByText(/without credentials/)).toBeTruthy();
    expect(fake.calls.some((c) => c.method === 'settings.setMirror')).toBe(false);
    fireEvent.change(input, { target: { value: 'http://10.0.0.5/data/coco/' } });
    await act(async () => fireEvent.click(within(coco).getByRole('button', { name: 'Save mirror' })));
    expect(fake.calls.find((c) => c.method === 'settings.setMirror')?.args).toEqual({ sourceId: 'coco', baseUrl: 'http://10.0.0.5/data/coco' });
    expect(screen.getByText('Mirror for coco saved.')).toBeTruthy();
    await act(async () => fireEvent.click(within(coco).getByRole('button', { name: 'Clear' })));
    expect(fake.calls.at(-1)?.args).toEqual({ sourceId: 'coco', baseUrl: null });
    expect(input.value).toBe('');
  });
});
