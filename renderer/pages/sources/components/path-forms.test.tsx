import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { PickPathsArgs } from '../../../../shared/api/desktop';
import { fakeTransport } from '../../../testing/fake-transport';
import { setDesktopBridge, setTransport } from '../../../transport/transport';
import { ImportForm } from './import-form';
import { TablesForm } from './tables-form';

describe('Import… on the Sources page', () => {
  afterEach(() => {
    cleanup();
    setTransport(null);
    setDesktopBridge(undefined);
  });

  it('in the desktop app the system picker chooses the archive or folder, and the import takes that path', async () => {
    const asked: PickPathsArgs[] = [];
    setDesktopBridge({
      pickPaths: async (args: PickPathsArgs) => {
        asked.push(args);
        return { ok: true, value: [args.kind === 'file' ? '/home/r/Downloads/video_train.zip' : '/data/lab/clevrer'] };
      },
    });
    const fake = fakeTransport({ 'media.import': () => ({ id: 3, kind: 'media.import', state: 'queued' }), 'jobs.list': () => [] });
    setTransport(fake.transport);
    render(<ImportForm sourceId="clevrer" name="CLEVRER" onDone={() => undefined} />);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Choose archive…' })));
    expect(asked[0]).toMatchObject({ kind: 'file', title: 'Archive holding CLEVRER’s media' });
    expect(screen.getByLabelText('Archive or folder holding CLEVRER’s media')).toHaveProperty('value', '/home/r/Downloads/video_train.zip');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Choose folder…' })));
    expect(screen.getByLabelText('Archive or folder holding CLEVRER’s media')).toHaveProperty('value', '/data/lab/clevrer');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Import' })));
    expect(fake.calls.find((c) => c.method === 'media.import')?.args).toEqual({ sourceId: 'clevrer', path: '/data/lab/clevrer', mode: 'root' });
  });

  it('in the web host there is no picker: the path is typed', () => {
    setTransport(fakeTransport({}).transport);
    setDesktopBridge(null);
    render(<ImportForm sourceId="clevrer" name="CLEVRER" onDone={() => undefined} />);
    expect(screen.queryByRole('button', { name: 'Choose archive…' })).toBeNull();
    expect(screen.getByLabelText('Archive or folder holding CLEVRER’s media')).toBeTruthy();
  });
});

describe('Use my tables… for a per-clip route', () => {
  afterEach(() => {
    cleanup();
    setTransport(null);
    setDesktopBridge(undefined);
  });

  it('downloads with the CSVs the user has, trying again the clips no earlier table listed', async () => {
    setDesktopBridge(null);
    const fake = fakeTransport({ 'media.get': () => ({ id: 4, kind: 'media.get', state: 'queued' }), 'media.status': () => [], 'media.m3it': () => [] });
    setTransport(fake.transport);
    render(<TablesForm sourceId="webvid" name="WebVid-10M" onDone={() => undefined} />);
    fireEvent.change(screen.getByLabelText(/A metadata CSV/), { target: { value: ' /data/webvid/partitions ' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Download with these tables' })));
    expect(fake.calls.find((c) => c.method === 'media.get')?.args).toEqual({ sources: ['webvid'], tables: ['/data/webvid/partitions'], retryFailed: true });
  });
});
