// The content the bot shows, as pure functions of the case: no I/O, no i18n, no Bot Framework.
// Sentences come back as keys of the `content` namespace; commands come back ready to copy, with
// every value the admin typed quoted so that it stays one inert argument.
import { type CaseDetails, type CheckpointId, type ExchangeVersion, type StepId, checkpointsFor } from '../flow/types';
import { type PhraseVars, caseOf } from './case';
import { buildAccessGuide, buildClientSettings } from './client';
import { PRODUCT_NAME } from './facts';
import { phrase } from './phrases';
import { buildRemedy } from './remedies';
import { buildStepGuide, stepTitle } from './steps';
import { buildSupportRoute } from './support';
import type { AccessGuide, ClientSettingsGuide, Remedy, StepGuide, SupportRoute } from './types';

function versionName(version: ExchangeVersion | undefined): string {
  return version ? PRODUCT_NAME[version] : 'an unspecified Exchange version';
}

// The flow only offers what applies; reaching here otherwise is a bug upstream, not a user error.
function assertApplies(checkpoint: CheckpointId, version: ExchangeVersion | undefined): void {
  if (!checkpointsFor(version).includes(checkpoint)) {
    throw new Error(`The "${checkpoint}" step does not apply to ${versionName(version)}; it has ${checkpointsFor(version).join(', ')}.`);
  }
}

export function stepGuide(step: StepId, details: CaseDetails): StepGuide {
  assertApplies(step, details.version);
  return buildStepGuide(step, caseOf(details));
}

export function remedy(checkpoint: CheckpointId, details: CaseDetails): Remedy {
  assertApplies(checkpoint, details.version);
  const c = caseOf(details);
  const title = checkpoint === 'clientSettings' ? phrase('clientSettings.title') : stepTitle(checkpoint, c);
  return buildRemedy(checkpoint, c, title);
}

export function clientSettings(details: CaseDetails): ClientSettingsGuide {
  return buildClientSettings(caseOf(details));
}

export function accessGuide(details: CaseDetails): AccessGuide {
  return buildAccessGuide(caseOf(details));
}

/**
 * The support status and route for the version. With the case details, the collection commands are
 * filled for the case's protocol, server and mailbox; without them, they cover both protocols.
 */
export function supportRoute(version: ExchangeVersion | undefined, details?: CaseDetails): SupportRoute {
  return buildSupportRoute(version, details);
}

/**
 * What a sentence may say about the case (its protocol, ports, services). A verdict kept from before its
 * sentence named these carries no value for them; the case still knows them.
 */
export function caseValues(details: CaseDetails): PhraseVars {
  return caseOf(details).vars;
}

/** The version's support status as data, for systems that sort or alert on it. */
export { supportStatus } from './support';
