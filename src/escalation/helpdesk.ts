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

// Teams gives a post in a channel, and every reply in its thread, the channel's conversation id followed by
// ";messageid=…": the channel is the part before it, whichever thread a member writes in.
export const channelOf = (conversationId: string) => conversationId.split(';')[0]!;

/** The channel itself, not the thread "register help desk" was typed in (registrations kept before this included). */
function asChannel(address: HelpdeskAddress): HelpdeskAddress {
  return { ...address, conversationId: channelOf(address.conversationId) };
}

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
    if (this.configured) return asChannel(this.configured);
    const stored = (await this.stored())?.value;
    return stored && asChannel(stored);
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
    const channel = asChannel(address);
    await this.store.write(KEY, channel, current?.etag ?? null);
    const previous = current && asChannel(current.value);
    const moved = previous && previous.conversationId !== channel.conversationId;
    return moved ? { outcome: 'registered', previous } : { outcome: 'registered' };
  }
}
