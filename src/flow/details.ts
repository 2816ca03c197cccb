// Turns what the admin typed into the case form into CaseDetails, or says which field is wrong.
// Values end up inside PowerShell commands and help-desk tickets, so they are bounded and cleaned here,
// once, before the machine ever holds them.
import { maskSecrets } from './secrets';
import { type CaseDetails, isExchangeVersion, isProtocol } from './types';

export interface RawDetails {
  protocol?: string;
  version?: string;
  server?: string;
  mailbox?: string;
  errorText?: string;
  clientHost?: string;
}

export type DetailField = keyof RawDetails;
export type DetailProblem = 'required' | 'unknownChoice' | 'notAServerName' | 'tooLong' | 'lineBreaks' | 'holdsPassword';

export interface DetailError {
  field: DetailField;
  problem: DetailProblem;
}

export const LIMITS = { protocol: 16, version: 16, server: 253, mailbox: 320, errorText: 2000, clientHost: 253 } as const;

/** The form's "I don't know the version" choice: a choice of its own, since an empty value is not one. */
export const VERSION_NOT_GIVEN = 'unknown';

// A NetBIOS name or a DNS name: what Get-ExchangeServer and the cmdlets' -Server accept.
const SERVER_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*$/;
// eslint-disable-next-line no-control-regex
const LINE_BREAKS_OR_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// eslint-disable-next-line no-control-regex
const CONTROLS_BUT_NEWLINE_AND_TAB = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Full-width letters and digits (ＥＸ０１) are what a Japanese IME often gives; fold them. */
function folded(value: string | undefined): string {
  return (value ?? '').normalize('NFKC').trim();
}

export function validateDetails(raw: RawDetails): { details?: CaseDetails; errors: DetailError[] } {
  const errors: DetailError[] = [];
  const protocol = folded(raw.protocol).toLowerCase();
  const chosenVersion = folded(raw.version);
  const version = chosenVersion === VERSION_NOT_GIVEN ? '' : chosenVersion;
  // A server or mailbox name never holds a password: one that seems to is sent back to be typed again.
  const server = maskSecrets(folded(raw.server));
  const mailbox = maskSecrets(folded(raw.mailbox));
  const clientHost = folded(raw.clientHost);
  // The client's error text is kept as the admin pasted it (no folding), minus invisible controls.
  const errorText = maskSecrets((raw.errorText ?? '').replace(/\r\n?/g, '\n').replace(CONTROLS_BUT_NEWLINE_AND_TAB, '').trim()).text;

  if (!protocol) errors.push({ field: 'protocol', problem: 'required' });
  else if (!isProtocol(protocol)) errors.push({ field: 'protocol', problem: 'unknownChoice' });
  if (version && !isExchangeVersion(version)) errors.push({ field: 'version', problem: 'unknownChoice' });

  if (server.masked) errors.push({ field: 'server', problem: 'holdsPassword' });
  else if (server.text.length > LIMITS.server) errors.push({ field: 'server', problem: 'tooLong' });
  else if (server.text && !SERVER_NAME.test(server.text)) errors.push({ field: 'server', problem: 'notAServerName' });

  if (mailbox.masked) errors.push({ field: 'mailbox', problem: 'holdsPassword' });
  else if (mailbox.text.length > LIMITS.mailbox) errors.push({ field: 'mailbox', problem: 'tooLong' });
  else if (LINE_BREAKS_OR_CONTROLS.test(mailbox.text)) errors.push({ field: 'mailbox', problem: 'lineBreaks' });

  if (errorText.length > LIMITS.errorText) errors.push({ field: 'errorText', problem: 'tooLong' });

  if (clientHost.length > LIMITS.clientHost) errors.push({ field: 'clientHost', problem: 'tooLong' });
  else if (clientHost && !SERVER_NAME.test(clientHost)) errors.push({ field: 'clientHost', problem: 'notAServerName' });

  if (errors.length > 0 || !isProtocol(protocol)) return { errors };
  return {
    errors,
    details: {
      protocol,
      ...(isExchangeVersion(version) ? { version } : {}),
      ...(server.text ? { server: server.text } : {}),
      ...(mailbox.text ? { mailbox: mailbox.text } : {}),
      ...(errorText ? { errorText } : {}),
      ...(clientHost ? { clientHost } : {}),
    },
  };
}
