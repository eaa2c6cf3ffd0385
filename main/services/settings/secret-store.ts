/**
 * Where the Hugging Face token is kept. The Electron shell keeps it with safeStorage (the OS keychain);
 * the web host in a file only the user can read. The engine sees only this interface.
 */
export interface SecretStore {
  /** Plain words for the Settings page, e.g. "the system keychain (safeStorage)". */
  readonly storage: string;
  read(): Promise<string | null>;
  write(value: string): Promise<void>;
  clear(): Promise<void>;
}
