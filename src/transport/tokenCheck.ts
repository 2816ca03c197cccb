// How the door answers a token it cannot accept, whichever SDK checked it: 401 with one generic reason for
// any token that is not good, 503 with a time to retry when the keys to check it with are out of reach, and
// the SDK's own words only in the log.
import { TimedOut, withTimeout } from '../timing';
import type { Refusal } from './requestBody';
import type { Authentication } from './transport';

const RETRY_AFTER_SECONDS = 30;
/** Neither SDK bounds the fetch of the token keys: a key endpoint that never answers must not hang the door. */
const TOKEN_CHECK_TIMEOUT_MS = 10_000;

export const UNAUTHORIZED: Refusal = {
  status: 401,
  code: 'Unauthorized',
  message: 'The request does not carry a valid Bot Framework token for this bot.',
};

const KEYS_OUT_OF_REACH: Refusal = {
  status: 503,
  code: 'ServiceUnavailable',
  message: 'The bot cannot check Bot Framework tokens at the moment. Try again later.',
  retryAfterSeconds: RETRY_AFTER_SECONDS,
};

/** Runs an SDK's token check within the time limit; `keysOutOfReach` tells its failures to reach the keys from bad tokens. */
export async function checkToken<Caller>(check: () => Promise<Caller>, keysOutOfReach: (error: unknown) => boolean): Promise<Authentication<Caller>> {
  try {
    return { caller: await withTimeout(check(), TOKEN_CHECK_TIMEOUT_MS, () => new TimedOut('the token keys', TOKEN_CHECK_TIMEOUT_MS)) };
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : 'unknown';
    return { refusal: error instanceof TimedOut || keysOutOfReach(error) ? KEYS_OUT_OF_REACH : UNAUTHORIZED, reason };
  }
}
