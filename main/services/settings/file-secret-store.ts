import { chmod, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../lib/atomic-write';
import type { SecretStore } from './secret-store';

/** The web host's token store: one file, mode 0600, written atomically. */
export class FileSecretStore implements SecretStore {
  readonly storage = 'a file only your user account can read';
  private readonly file: string;

  constructor(configDir: string, fileName = 'hf-token') {
    this.file = join(configDir, fileName);
  }

  async read(): Promise<string | null> {
    try {
      const info = await stat(this.file);
      // Someone widened the permissions (a copy, an archive restore): narrow them again before using the secret.
      if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) await chmod(this.file, 0o600);
      const value = (await readFile(this.file, 'utf8')).trim();
      return value === '' ? null : value;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async write(value: string): Promise<void> {
    await writeFileAtomic(this.file, value, { mode: 0o600 });
  }

  async clear(): Promise<void> {
    await unlink(this.file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}
