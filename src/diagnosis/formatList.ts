// Reads what Exchange Management Shell prints: `Format-List` blocks ("Name : value", long values wrapped
// onto indented lines, objects separated by blank lines) and the default table of Get-Service.

export type Fields = Map<string, string>;

const FIELD = /^([A-Za-z][A-Za-z0-9]*)\s*:\s?(.*)$/;
// Format-List wraps a long value onto lines indented to the value column.
const CONTINUATION = /^\s{4,}\S/;

/** Every object in a Format-List paste; keys as printed (case kept), values trimmed. */
export function readFormatList(text: string): Fields[] {
  const objects: Fields[] = [];
  let current: Fields | undefined;
  let lastKey: string | undefined;
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    if (line.trim() === '') {
      current = undefined;
      lastKey = undefined;
      continue;
    }
    const field = FIELD.exec(line.trimStart());
    if (field && !CONTINUATION.test(line)) {
      if (!current) objects.push((current = new Map()));
      lastKey = field[1]!;
      current.set(lastKey, field[2]!.trim());
    } else if (current && lastKey && CONTINUATION.test(line)) {
      current.set(lastKey, `${current.get(lastKey)}${line.trim()}`);
    }
  }
  return objects;
}

export interface ServiceRow {
  name: string;
  status: string;
  startType?: string;
}

const SERVICE_ROW = /^(Running|Stopped|StartPending|StopPending|Paused|PausePending|ContinuePending)\s+(MSExchange\S+)/i;

/** `Get-Service MSExchange*` as a table, or as Format-List blocks with Name and Status. */
export function readServices(text: string): ServiceRow[] {
  const rows: ServiceRow[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const row = SERVICE_ROW.exec(line.trim());
    if (row) rows.push({ status: row[1]!, name: row[2]! });
  }
  if (rows.length > 0) return rows;
  return readFormatList(text)
    .filter((o) => o.has('Name') && o.has('Status'))
    .map((o) => ({ name: o.get('Name')!, status: o.get('Status')!, ...(o.get('StartType') ? { startType: o.get('StartType') } : {}) }));
}

/** PowerShell prints booleans as True/False; anything else means the paste is not what we think. */
export function readBoolean(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  return undefined;
}

/** `{Tls, Integrated, BasicAuth}` or `Tls, Integrated` → the items. */
export function readList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .replace(/^\{|\}$/g, '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
