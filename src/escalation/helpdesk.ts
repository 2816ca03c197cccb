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

export type Registration = 'registered' | 'fixedByConfiguration' | 'otherTenant';

export class HelpdeskDirectory {
  /**
   * `tenantId`: the organisation the bot is registered in (SingleTenant), when the operator set one.
   * Without it, the first channel registered decides the organisation.
   */
  constructor(
    private readonly store: KeyValueStore,
    private readonly configured?: HelpdeskAddress,
    private readonly tenantId?: string,
  ) {}

  /** The environment wins: an operator's choice is not overridden from inside Teams. */
  async address(): Promise<HelpdeskAddress | undefined> {
    if (this.configured) return this.configured;
    return (await this.store.read<HelpdeskAddress>(KEY))?.value;
  }

  /**
   * Any member of a team the bot is in can move the help desk to their channel, but only within the
   * organisation: a channel of another tenant would receive every escalation, mailbox names included.
   */
  async register(address: HelpdeskAddress): Promise<Registration> {
    if (this.configured) return 'fixedByConfiguration';
    const current = await this.store.read<HelpdeskAddress>(KEY);
    const tenant = this.tenantId ?? current?.value.tenantId;
    if (tenant !== undefined && address.tenantId !== tenant) return 'otherTenant';
    // Written against the eTag read, so two channels registering at once cannot both win unseen.
    await this.store.write(KEY, address, current?.etag ?? null);
    return 'registered';
  }
}
