import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LibraryInfo, Settings } from '../../../shared/api/models';
import { fakeTransport } from '../../testing/fake-transport';
import { setTransport } from '../../transport/transport';
import { LibraryPage } from './page';
import { connectLibraryStore, useLibraryStore } from './store';

const settings = { defaultLibraryPath: '/home/r/VideoChat2-IT' } as Settings;
const info = (path: string): LibraryInfo => ({
  path,
  name: path.split('/').at(-1) ?? path,
  databasePath: `${path}/library.sqlite`,
  mediaPath: `${path}/media`,
  createdAt: '2026-11-25T10:00:00.000Z',
  schemaVersion: 10,
});

describe('Library page', () => {
  beforeEach(() => useLibraryStore.setState(useLibraryStore.getInitialState(), true));
  afterEach(() => {
    cleanup();
    setTransport(null);
  });

  it('creates a library at the suggested folder and shows it as open', async () => {
    let current: LibraryInfo | null = null;
    const fake = fakeTransport({
      'library.current': () => current,
      'library.recent': () => (current ? [{ path: current.path, name: current.name, lastOpenedAt: current.createdAt, available: true }] : []),
      'settings.get': () => settings,
      'library.usage': () => ({ measuredAt: null, bytes: 0, files: 0, folders: [] }),
      'annotations.status': () => ({ revision: null, subsets: [] }),
      'annotations.detect': () => [],
      'library.create': (args) => {
        current = info((args as { path: string }).path);
        return current;
      },
    });
    setTransport(fake.transport);
    connectLibraryStore();
    render(<LibraryPage />);
    expect(await screen.findByText('No library is open.')).toBeTruthy();
    const form = screen.getByRole('form', { name: 'Create a library' });
    expect((within(form).getByLabelText('Library folder') as HTMLInputElement).value).toBe('/home/r/VideoChat2-IT');
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Create library' })));
    expect(fake.calls.find((c) => c.method === 'library.create')?.args).toEqual({ path: '/home/r/VideoChat2-IT' });
    expect(await screen.findByRole('article', { name: 'Open library' })).toBeTruthy();
    expect(screen.getByText('/home/r/VideoChat2-IT/library.sqlite')).toBeTruthy();
  });

  it("shows the engine's explanation when a folder cannot be opened", async () => {
    const fake = fakeTransport({
      'library.current': () => null,
      'library.recent': () => [],
      'settings.get': () => settings,
      'library.open': () => {
        throw new Error('/data is not a library: it has no library.sqlite.');
      },
    });
    setTransport(fake.transport);
    connectLibraryStore();
    render(<LibraryPage />);
    const form = await screen.findByRole('form', { name: 'Open a library' });
    fireEvent.change(within(form).getByLabelText('Library folder'), { target: { value: '/data' } });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Open library' })));
    expect(screen.getByRole('alert').textContent).toContain('/data is not a library');
  });
});
