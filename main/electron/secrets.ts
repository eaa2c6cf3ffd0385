import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import { writeFileAtomic } from '../lib/atomic-write';
import { FileSecretStore } from '../services/settings/file-secret-store';
import type { SecretStore } from '../services/settings/secret-store';

/** The token encrypted by the OS keychain through safeStorage, in a 0600 file. */
class SafeStorageSecretStore implements SecretStore {
  readonly storage = 'the system keychain (Electron safeStorage)';
  private readonly file: string;

  constructor(configDir: string) {
    this.file = join(configDir, 'hf-token.enc');
  }

  async read(): Promise<string | null> {
    try {
      return safeStorage.decryptString(await readFile(this.file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async write(value: string): Promise<void> {
    await writeFileAtomic(this.file, safeStorage.encryptString(value), { mode: 0o600 });
  }

  async clear(): Promise<void> {
    await unlink(this.file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

/**
 * safeStorage when the OS offers real encryption; on Linux without a keyring Electron would fall back to a
 * hard-coded key ("basic_text"), which is no better than a private file, so we say plainly that a file is used.
 */
export function createSecretStore(configDir: string): SecretStore {
  const basicText = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  if (safeStorage.isEncryptionAvailable() && !basicText) return new SafeStorageSecretStore(configDir);
  return new FileSecretStore(configDir);
}
