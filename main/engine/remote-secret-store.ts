import type { SecretStore } from '../services/settings/secret-store';
import type { SecretOp } from './protocol';

export type HostCall = (op: SecretOp, value?: string) => Promise<string | null>;

/** The worker's view of the host's secret store: every operation is a request to the host. */
export class RemoteSecretStore implements SecretStore {
  constructor(
    readonly storage: string,
    private readonly call: HostCall,
  ) {}

  read(): Promise<string | null> {
    return this.call('secret.read');
  }

  async write(value: string): Promise<void> {
    await this.call('secret.write', value);
  }

  async clear(): Promise<void> {
    await this.call('secret.clear');
  }
}
