// Reads CRLF-terminated lines from whichever stream currently carries the session (the plain socket,
// then the TLS socket after STARTTLS). Everything is bounded: the peer is untrusted, and a server that
// streams forever, or never ends a line, must not grow our memory or hold the probe past its deadline.
import type { Readable } from 'node:stream';
import { classify, ProbeFailure } from './failure';
import type { ProbeStage } from './types';

export interface ReadLimits {
  /** Bytes in one response (a greeting, one CAPA listing), counting line ends. */
  maxResponseBytes: number;
  maxResponseLines: number;
  /** Bytes over the whole session, read or not. */
  maxSessionBytes: number;
}

export const DEFAULT_LIMITS: ReadLimits = { maxResponseBytes: 16 * 1024, maxResponseLines: 200, maxSessionBytes: 64 * 1024 };

/** Splits off the complete lines; `rest` is an unfinished line. Tolerates a bare LF, as many servers send one. */
export function splitLines(buffer: Buffer): { lines: Buffer[]; rest: Buffer } {
  const lines: Buffer[] = [];
  let start = 0;
  for (let end = buffer.indexOf(0x0a); end !== -1; end = buffer.indexOf(0x0a, start)) {
    lines.push(buffer.subarray(start, end > start && buffer[end - 1] === 0x0d ? end - 1 : end));
    start = end + 1;
  }
  return { lines, rest: buffer.subarray(start) };
}

type Ending = { error: unknown } | { closed: true };

export class LineReader {
  private partial = Buffer.alloc(0);
  private readonly lines: { text: string; bytes: number }[] = [];
  private ending?: Ending;
  private overflow?: string;
  private wake?: () => void;
  private source?: Readable;
  private sessionBytes = 0;
  private responseBytes = 0;
  private responseLines = 0;

  constructor(private readonly limits: ReadLimits = DEFAULT_LIMITS) {}

  private readonly onData = (chunk: Buffer) => {
    this.sessionBytes += chunk.length;
    if (this.sessionBytes > this.limits.maxSessionBytes) {
      this.overflow = `the server sent more than ${this.limits.maxSessionBytes} bytes`;
    } else {
      const { lines, rest } = splitLines(Buffer.concat([this.partial, chunk]));
      for (const line of lines) this.lines.push({ text: line.toString('utf8'), bytes: line.length + 2 });
      this.partial = Buffer.from(rest);
      if (this.partial.length > this.limits.maxResponseBytes) {
        this.overflow = `the server sent a line longer than ${this.limits.maxResponseBytes} bytes`;
      }
    }
    if (this.overflow) this.detach();
    this.wake?.();
  };
  private readonly onError = (error: unknown) => this.end({ error });
  private readonly onClose = () => this.end({ closed: true });

  private end(ending: Ending): void {
    this.ending ??= ending;
    this.wake?.();
  }

  attach(source: Readable): void {
    this.detach();
    this.source = source;
    this.ending = undefined;
    source.on('data', this.onData);
    source.on('error', this.onError);
    source.on('end', this.onClose);
    source.on('close', this.onClose);
  }

  /** Stops listening, so that a TLS socket can take over the plain one. */
  detach(): void {
    this.source?.off('data', this.onData);
    this.source?.off('error', this.onError);
    this.source?.off('end', this.onClose);
    this.source?.off('close', this.onClose);
    this.source = undefined;
  }

  /** Whether the peer sent anything not yet read: before a TLS upgrade that would be injected plaintext. */
  get hasUnread(): boolean {
    return this.lines.length > 0 || this.partial.length > 0;
  }

  beginResponse(): void {
    this.responseBytes = 0;
    this.responseLines = 0;
  }

  async readLine(stage: ProbeStage, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.overflow) throw new ProbeFailure('protocol', stage, this.overflow, 'tooLong');
      const line = this.lines.shift();
      if (line) return this.count(line, stage);
      if (this.ending) {
        if ('error' in this.ending) throw classify(this.ending.error, stage);
        throw new ProbeFailure('protocol', stage, 'the server closed the connection', 'closed');
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new ProbeFailure('timeout', stage, `no answer within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private count(line: { text: string; bytes: number }, stage: ProbeStage): string {
    this.responseBytes += line.bytes;
    this.responseLines += 1;
    if (this.responseBytes > this.limits.maxResponseBytes || this.responseLines > this.limits.maxResponseLines) {
      throw new ProbeFailure('protocol', stage, `the answer exceeded ${this.limits.maxResponseLines} lines or ${this.limits.maxResponseBytes} bytes`, 'tooLong');
    }
    return line.text;
  }
}
