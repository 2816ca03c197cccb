// The request body, read before anyone is authenticated, so read at a fixed cost: JSON only (no
// multipart, whose parts a parser writes to disk; no form or text posts a web page can send without a
// preflight), never compressed (a small gzip body can inflate to gigabytes), and never more than the limit.
import type { IncomingMessage } from 'node:http';

export interface Refusal {
  status: number;
  code: string;
  message: string;
  retryAfterSeconds?: number;
  closeConnection?: boolean;
}

export type BodyReading = { body: unknown } | { refusal: Refusal };

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** JSON is UTF-8 (RFC 8259); a body declared in another charset would be read as something it is not. */
function declaresOtherCharset(req: IncomingMessage): boolean {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  return charset !== undefined && charset !== 'utf-8' && charset !== 'utf8';
}

function tooLarge(maxBytes: number): Refusal {
  return { status: 413, code: 'PayloadTooLarge', message: `The request body is larger than ${maxBytes / 1024} KB.` };
}

/** Refuses what is not plain JSON from its headers alone, before a byte of the body is read. */
export function refuseByHeaders(req: IncomingMessage, maxBytes: number): Refusal | undefined {
  if (mediaType(req) !== 'application/json' || declaresOtherCharset(req)) {
    return { status: 415, code: 'UnsupportedMediaType', message: 'Send the body as Content-Type: application/json (UTF-8).' };
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') {
    return { status: 415, code: 'UnsupportedMediaType', message: 'Send the body uncompressed, without Content-Encoding.' };
  }
  if (Number(req.headers['content-length']) > maxBytes) return tooLarge(maxBytes);
  return undefined;
}

/** How long a body may take to arrive: a sender trickling it would otherwise hold its buffer for minutes. */
export const BODY_DEADLINE_MS = 10_000;

/**
 * Reads at most maxBytes within BODY_DEADLINE_MS; past either it stops keeping the body and refuses it.
 * Call after refuseByHeaders. The bytes as sent, for a signature computed over them.
 */
export function readRawBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | Refusal> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const deadline = setTimeout(
      () => stop({ status: 408, code: 'RequestTimeout', message: `The request body did not arrive within ${BODY_DEADLINE_MS / 1000} s.`, closeConnection: true }),
      BODY_DEADLINE_MS,
    );
    const stop = (result: Buffer | Refusal) => {
      clearTimeout(deadline);
      req.off('data', onData).off('end', onEnd).off('error', onError);
      if (!Buffer.isBuffer(result)) chunks.length = 0;
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) stop(tooLarge(maxBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => stop(Buffer.concat(chunks, size));
    const onError = () => stop({ status: 400, code: 'InvalidActivity', message: 'The request body did not arrive whole.' });
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/** The body as JSON; call after refuseByHeaders. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<BodyReading> {
  const raw = await readRawBody(req, maxBytes);
  if (!Buffer.isBuffer(raw)) return { refusal: raw };
  try {
    return { body: JSON.parse(raw.toString('utf8')) as unknown };
  } catch {
    return { refusal: { status: 400, code: 'InvalidActivity', message: 'The request body is not valid JSON.' } };
  }
}
