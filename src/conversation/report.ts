// The help-desk lead's report, asked for by typing "report" / 「レポート」: answered only in the registered
// help-desk channel, since it shows the organisation's cases; anywhere else the asker learns nothing but where
// to ask. Reading it changes nothing: the channel's own troubleshooting conversation stays as it was.
import type { HelpdeskAddress } from '../escalation/helpdesk';
import type { Language } from '../i18n';
import { readCases } from '../insights/readCases';
import { progressIn } from './caseProgress';
import { type Asker, isHelpdeskChannel } from './helpdeskMembers';
import { lastDays, summarize } from '../insights/report';
import type { Logger } from '../logging';
import type { AdaptiveCard } from '../rendering/page';
import { renderReport } from '../rendering/report';
import type { Notice } from '../rendering/screens';
import { EtagConflictError, type KeyValueStore, StorageUnavailableError } from '../storage/store';
import type { ReportPeriod } from '../understanding';

/** Who is asking, and from where. */
export interface ReportAsker extends Asker {
  now: Date;
}

/** Where report requests already answered are marked, one small document per delivery. */
export const REPORT_ASKED_PREFIX = 'reports-asked/';

export class ReportDesk {
  constructor(
    private readonly store: KeyValueStore,
    private readonly helpdesk: () => Promise<HelpdeskAddress | undefined>,
    private readonly log: Logger,
  ) {}

  /**
   * Whether this delivery of a report request is its first: a Teams retry of a slow report must not post the
   * card twice nor read every case again. Marked create-only, so two instances receiving it agree too.
   */
  async firstDelivery(conversationKey: string, activityId: string): Promise<boolean> {
    try {
      await this.store.write(`${REPORT_ASKED_PREFIX}${conversationKey}#${activityId}`, { at: new Date().toISOString() }, null);
      return true;
    } catch (error) {
      if (error instanceof EtagConflictError) return false;
      // Unmarked, a retry may post the card twice: better than no report.
      this.log.warn({ err: error, conversation: conversationKey }, 'a report request could not be marked as answered');
      return true;
    }
  }

  /** The report card for the help-desk channel; a notice for anyone else, or when the store cannot be read. */
  async answer(asker: ReportAsker, days: ReportPeriod, language: Language): Promise<{ card: AdaptiveCard } | { notice: Notice }> {
    try {
      const helpdesk = await this.helpdesk();
      if (!isHelpdeskChannel(asker, helpdesk)) {
        this.log.info({ conversation: asker.conversationId, conversationType: asker.conversationType }, 'report refused outside the help-desk channel');
        return { notice: { kind: 'reportOnlyInHelpdesk' } };
      }
      const { from, to } = lastDays(days, asker.now);
      const read = await readCases(this.store, from, to, progressIn(this.store));
      const { damaged } = read;
      // A bot other organisations also use counts only the help desk's own organisation's cases.
      const cases = helpdesk?.tenantId ? read.cases.filter((facts) => facts.tenantId === helpdesk.tenantId) : read.cases;
      if (damaged > 0) this.log.warn({ from, to, damaged }, 'some case facts could not be read and are left out of the report');
      this.log.info({ conversation: asker.conversationId, days, cases: cases.length }, 'report');
      return { card: renderReport(summarize(cases, from, to, asker.now), language) };
    } catch (error) {
      if (!(error instanceof StorageUnavailableError)) throw error;
      this.log.error({ err: error, conversation: asker.conversationId }, 'the report could not be read from the store');
      return { notice: { kind: 'reportUnavailable' } };
    }
  }
}
