export { FileSecretStore } from './file-secret-store';
export type { SecretStore } from './secret-store';
export { settingsHandlers } from './settings-handlers';
export { SettingsService } from './settings-service';
