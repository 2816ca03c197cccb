// Where the help desk's Teams channel is: set by the operator in the environment, or registered by a
// help-desk member typing "register help desk" in that channel.
import { readOrSetAside } from '../storage/damaged';
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
    private readonly onDamaged: () => void = () => undefined,
  ) {}

  /** A damaged registration is set aside and read as none: the channel registers again, nothing else stops. */
  private async stored() {
    return (await readOrSetAside<HelpdeskAddress>(this.store, KEY, new Date(), this.onDamaged)).stored;
  }

  /** The environment wins: an operator's choice is not overridden from inside Teams. */
  async address(): Promise<HelpdeskAddress | undefined> {
    if (this.configured) return this.configured;
    return (await this.stored())?.value;
  }

  /**
   * Any member of a team the bot is in can move the help desk to their channel, but only within the
   * organisation: a channel of another tenant would receive every escalation, mailbox names included.
   * `previous` is the channel that stops receiving them, so it can be told.
   */
  async register(address: HelpdeskAddress): Promise<{ outcome: Registration; previous?: HelpdeskAddress }> {
    if (this.configured) return { outcome: 'fixedByConfiguration' };
    const current = await this.stored();
    const tenant = this.tenantId ?? current?.value.tenantId;
    if (tenant !== undefined && address.tenantId !== tenant) return { outcome: 'otherTenant' };
    // Written against the eTag read, so two channels registering at once cannot both win unseen.
    await this.store.write(KEY, address, current?.etag ?? null);
    const moved = current && current.value.conversationId !== address.conversationId;
    return moved ? { outcome: 'registered', previous: current.value } : { outcome: 'registered' };
  }
}
