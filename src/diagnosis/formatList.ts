// Reads what Exchange Management Shell prints: `Format-List` blocks ("Name : value", long values wrapped
// onto indented lines, objects separated by blank lines), the default table of Get-Service, and the
// `Format-Table` output of the other commands the bot hands out (a header, a dashed rule, rows).

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

const STATES = 'Running|Stopped|StartPending|StopPending|Paused|PausePending|ContinuePending';
const SERVICE_ROW = new RegExp(`^(${STATES})\\s+(MSExchange\\S+)`, 'i');
// Win32_Service as the bot's own check prints it: Name, State, StartMode ("Auto", "Manual", "Disabled").
const WMI_ROW = new RegExp(`^(MSExchange\\S+)\\s+(${STATES}|Start Pending|Stop Pending)\\s+(Auto|Manual|Disabled|Boot|System)\\b`, 'i');

/** `Get-Service MSExchange*` or Win32_Service as a table, or as Format-List blocks with Name and Status. */
export function readServices(text: string): ServiceRow[] {
  const rows: ServiceRow[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const row = SERVICE_ROW.exec(line.trim());
    if (row) rows.push({ status: row[1]!, name: row[2]! });
    const wmi = WMI_ROW.exec(line.trim());
    if (wmi) rows.push({ name: wmi[1]!, status: wmi[2]!.replace(' ', ''), startType: wmi[3]! });
  }
  if (rows.length > 0) return rows;
  // Win32_Service's default list has State (Running, Stopped) and StartMode; its Status is WMI's health
  // ("OK"), not whether the service runs. Get-Service's list has Status and StartType.
  return readFormatList(text)
    .filter((o) => o.has('Name') && (o.has('State') || o.has('Status')))
    .map((o) => {
      const startType = o.get('StartMode') ?? o.get('StartType');
      return { name: o.get('Name')!, status: (o.get('State') ?? o.get('Status')!).replace(' ', ''), ...(startType ? { startType } : {}) };
    });
}

/**
 * The rows of a `Format-Table` whose header holds every one of `columns`: each value is what stands
 * under its header, up to the next header. Undefined when no such table is in the paste; empty when its
 * header is there and the rows are not.
 */
export function readTable(text: string, columns: string[]): Fields[] | undefined {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((line) => line.trimEnd());
  const at = lines.findIndex((line, i) => {
    const names = line.trim().split(/\s+/);
    return columns.every((c) => names.includes(c)) && /^[\s-]+$/.test(lines[i + 1] ?? '') && (lines[i + 1] ?? '').includes('-');
  });
  if (at < 0) return undefined;
  const header = lines[at]!;
  const starts: Array<[string, number]> = [];
  for (const match of header.matchAll(/\S+/g)) starts.push([match[0], match.index]);
  const rows: Fields[] = [];
  for (const line of lines.slice(at + 2)) {
    if (line.trim() === '') break;
    const row: Fields = new Map();
    starts.forEach(([name, start], i) => {
      const end = i + 1 < starts.length ? starts[i + 1]![1] : undefined;
      row.set(name, line.slice(start, end).trim());
    });
    rows.push(row);
  }
  return rows;
}

// Get-ExchangeCertificate's summary table writes Services as one letter per service, always in the same
// place (".P.WS.." = POP, IIS, SMTP; 2010 prints six places, 2013 and later seven); Format-List names them.
const SERVICE_LETTERS: Array<[number, string, string]> = [
  [0, 'I', 'IMAP'],
  [1, 'P', 'POP'],
  [2, 'U', 'UM'],
  [3, 'W', 'IIS'],
  [4, 'S', 'SMTP'],
];

/** The services a certificate is assigned to, from the table's letters or a list of names. */
export function readCertificateServices(value: string | undefined): string[] {
  if (!value || !/^[A-Z.]{5,7}$/.test(value) || /^[A-Z]+$/.test(value)) return readList(value).filter((s) => s !== 'None');
  return SERVICE_LETTERS.filter(([at, letter]) => value[at] === letter).map(([, , service]) => service);
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
