// The shape of what the bot tells an admin, independent of language and of how it is drawn.
// Sentences are i18n keys in the `content` namespace; commands are literal text, never translated.
import type { CheckpointId, ExchangeVersion, StepId } from '../flow/types';

/** A sentence to show: a key in the `content` namespace and the values it interpolates. */
export interface Phrase {
  key: string;
  values?: Record<string, string>;
}

/** Commands the admin copies and runs as they stand, one command per line. */
export interface CommandBlock {
  shell: 'powershell' | 'shell';
  lines: string[];
}

export interface StepGuide {
  step: StepId;
  title: Phrase;
  /** What this step checks and why it matters. */
  summary: Phrase;
  /** Where to look in the GUI, one click per phrase, with the Exchange UI names of the language. */
  gui: Phrase[];
  check: CommandBlock;
  fix: CommandBlock;
  verify: CommandBlock;
  /** Version caveats: a restart needed, a GUI that does not exist on that version, and so on. */
  notes: Phrase[];
}

export interface Cause {
  cause: Phrase;
  fix: CommandBlock;
}

export interface Remedy {
  checkpoint: CheckpointId;
  title: Phrase;
  diagnose: CommandBlock;
  causes: Cause[];
  verify: CommandBlock;
}

export interface ClientEndpoint {
  /** e.g. "POP3 over SSL/TLS". */
  label: Phrase;
  host: string;
  port: number;
  encryption: Phrase;
}

export interface ClientSettingsGuide {
  endpoints: ClientEndpoint[];
  userName: Phrase;
  /** How the server's LoginType changes what the client may do on each port. */
  loginTypes: Phrase[];
  notes: Phrase[];
  /** Commands that show what the server expects of clients. */
  check: CommandBlock;
}

export interface AccessGuide {
  requirements: Phrase[];
}

/** Where the version stands with Microsoft, as data: what a ticketing system can sort or alert on. */
export interface SupportStatus {
  /** `unknown` when the admin did not say which version. */
  status: 'supported' | 'ended' | 'unknown';
  product?: string;
  /** The date extended support ended, for a version out of support. */
  endOfSupport?: string;
}

export interface SupportRoute {
  version: ExchangeVersion | undefined;
  /** Plain statement of the support status, with the end date for versions out of support. */
  status: Phrase;
  /** Where to open a case, one instruction per phrase. */
  route: Phrase[];
  /** Commands whose output support will ask for. */
  collect: CommandBlock;
  /** Who the route, the output and the English summary are for: Microsoft support, or a partner. */
  routeHeading: Phrase;
  collectHeading: Phrase;
  summaryHeading: Phrase;
  /** The one summary of a non-English admin: their language first, then English for that same reader. */
  summaryOwnHeading: Phrase;
}
