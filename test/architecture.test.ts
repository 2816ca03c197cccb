// The rooms of the code and the one direction their imports run: transport → conversation → rendering →
// escalation → content → flow. A change that makes the flow know about Teams fails here, not in review.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../src');

const MAY_IMPORT: Record<string, string[]> = {
  flow: [],
  casework: [],
  content: ['flow'],
  i18n: [],
  storage: [],
  config: [],
  logging: [],
  timing: [],
  // Instruments through @opentelemetry/api; start.ts (the SDK) reads the telemetry configuration.
  telemetry: ['config', 'logging'],
  healthcheck: ['config', 'logging'],
  escalation: ['casework', 'content', 'flow', 'i18n', 'insights', 'storage', 'telemetry', 'timing'],
  rendering: ['escalation', 'casework', 'content', 'flow', 'i18n', 'insights'],
  diagnosis: ['flow'],
  understanding: ['flow', 'i18n'],
  insights: ['flow', 'i18n', 'storage'],
  probe: ['flow', 'timing'],
  conversation: ['rendering', 'escalation', 'casework', 'diagnosis', 'understanding', 'insights', 'flow', 'i18n', 'storage', 'logging'],
  transport: ['conversation', 'rendering', 'escalation', 'casework', 'i18n', 'config', 'logging', 'telemetry', 'timing'],
};

// Only the Teams edge may know the Bot Framework, through either SDK (and the token libraries the Agents SDK
// transport checks tokens with); only the machines (the flow, the case) and the conversation use XState.
const PACKAGES_ALLOWED: Record<string, string[]> = {
  botbuilder: ['transport'],
  '@microsoft/agents-hosting': ['transport'],
  '@microsoft/agents-activity': ['transport'],
  jsonwebtoken: ['transport'],
  'jwks-rsa': ['transport'],
  xstate: ['flow', 'casework', 'conversation'],
  restify: ['transport', 'app'],
  // The SDK and its exporters only where telemetry is started; everything else speaks to the API alone.
  '@opentelemetry/api': ['telemetry'],
  '@opentelemetry/sdk-trace-base': ['telemetry'],
  '@opentelemetry/sdk-metrics': ['telemetry'],
  '@azure/monitor-opentelemetry-exporter': ['telemetry'],
  '@azure/identity': ['storage'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

function roomOf(file: string): string {
  const relative = path.relative(SRC, file).split(path.sep);
  return relative.length > 1 ? relative[0]! : path.basename(file, '.ts');
}

const sources = files(SRC).map((file) => ({
  file: path.relative(SRC, file),
  room: roomOf(file),
  imports: [...readFileSync(file, 'utf8').matchAll(/^import[^;]*?from '([^']+)'/gms)].map((m) => m[1]!),
}));

describe('the rooms of the code', () => {
  it.each(sources.filter((s) => s.room in MAY_IMPORT).map((s) => [s.file, s] as const))('%s imports only downstream rooms', (_f, source) => {
    const own = path.dirname(path.join(SRC, source.file));
    const rooms = source.imports
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => roomOf(path.resolve(own, spec) + '.ts'))
      .filter((room) => room !== source.room);
    for (const room of rooms) expect({ from: source.room, to: room, allowed: MAY_IMPORT[source.room]!.includes(room) }).toEqual({ from: source.room, to: room, allowed: true });
  });

  it.each(Object.entries(PACKAGES_ALLOWED))('only %s’s own rooms import it', (pkg, rooms) => {
    const users = sources.filter((s) => s.imports.some((spec) => spec === pkg || spec.startsWith(`${pkg}/`))).map((s) => s.room);
    expect(users.length).toBeGreaterThan(0);
    for (const room of users) expect({ pkg, room, allowed: rooms.includes(room) }).toEqual({ pkg, room, allowed: true });
  });
});
