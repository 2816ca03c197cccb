// Where the help desk's Teams channel is: set by the operator in the environment, or registered by a
// help-desk member typing "register help desk" in that channel.
import type { KeyValueStore } from '../storage/store';

export interface HelpdeskAddress {
  channelId: string;
  serviceUrl: string;
  conversationId: string;
  tenantId?: string;
  /** Who registered it and when, for the operator who wonders why escalations land there. */
  registeredBy?: string;
  registeredAt?: string;
}

const KEY = 'helpdesk/teams-channel';

export class HelpdeskDirectory {
  constructor(
    private readonly store: KeyValueStore,
    private readonly configured?: HelpdeskAddress,
  ) {}

  /** The environment wins: an operator's choice is not overridden from inside Teams. */
  async address(): Promise<HelpdeskAddress | undefined> {
    if (this.configured) return this.configured;
    return (await this.store.read<HelpdeskAddress>(KEY))?.value;
  }

  get fixedByConfiguration(): boolean {
    return this.configured !== undefined;
  }

  async register(address: HelpdeskAddress): Promise<void> {
    await this.store.write(KEY, address);
  }
}
