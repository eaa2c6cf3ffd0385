import type { SettingsService } from '../settings/settings-service';
import { downloadsFolderOf, type FolderEntry, type ManualMatch, manualMatches, scanFolder } from './manual-matches';

/** How often the folder is looked at: a browser's download takes minutes; a readdir every few seconds costs nothing. */
const POLL_MS = 4000;

/**
 * The opt-in watch of the user's Downloads folder (#13 item 2): files whose names and sizes match a manual source's
 * card are offered for import once they have stopped growing (the same sizes on two looks: a browser still writing
 * under the final name is not offered). Polling rather than fs.watch: it works alike on every platform and on
 * network folders, and the folder is read only while the setting is on.
 */
export class DownloadsWatch {
  private timer: ReturnType<typeof setInterval> | null = null;
  private folder = '';
  private last = new Map<string, number>();
  private offered: ManualMatch[] = [];
  private looking = false;
  /** Bumped by every stop and folder change: a look begun before it does not report. */
  private generation = 0;

  constructor(
    private readonly settings: SettingsService,
    private readonly changed: (found: ManualMatch[]) => void,
    private readonly pollMs = POLL_MS,
  ) {}

  /** Matches offered now (none while the watch is off). */
  found(): ManualMatch[] {
    return this.offered;
  }

  /** Starts or stops the watch after the settings (re)load or change. */
  async configure(): Promise<void> {
    const settings = await this.settings.get();
    const folder = downloadsFolderOf(settings.downloadsFolder);
    if (!settings.watchDownloads) {
      this.stop();
      return;
    }
    if (this.timer && folder === this.folder) return;
    this.stop();
    this.folder = folder;
    this.timer = setInterval(() => void this.look(), this.pollMs);
    this.timer.unref?.();
    await this.look();
  }

  stop(): void {
    this.generation++;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.last.clear();
    if (this.offered.length > 0) {
      this.offered = [];
      this.changed([]);
    }
  }

  private async look(): Promise<void> {
    if (this.looking) return;
    this.looking = true;
    const generation = this.generation;
    try {
      const entries = await scanFolder(this.folder);
      if (generation !== this.generation) return;
      // Only files whose size has not changed since the previous look.
      const settled: FolderEntry[] = entries.filter((e) => this.last.get(e.name) === e.size);
      this.last = new Map(entries.map((e) => [e.name, e.size]));
      const next = manualMatches(this.folder, settled);
      const key = (list: ManualMatch[]) => JSON.stringify(list.map((m) => [m.sourceId, m.path, m.bytes, m.names.length]));
      if (key(next) !== key(this.offered)) {
        this.offered = next;
        this.changed(next);
      }
    } finally {
      this.looking = false;
    }
  }
}
