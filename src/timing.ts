// A bound on how long the bot waits for something that may never answer (a help-desk target, the token keys,
// a mail server under the live check): the wait ends with the caller's error, though the work itself may go on.
export class TimedOut extends Error {
  constructor(what: string, ms: number) {
    super(`no answer from ${what} within ${ms} ms`);
    this.name = 'TimedOut';
  }
}

export function withTimeout<T>(work: Promise<T>, ms: number, expired: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(expired()), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
