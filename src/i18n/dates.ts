// Dates as each language writes them. Values travel as ISO 8601 (the webhook, the stored verdict); a
// phrase marks where one is shown with {{value, day}} (2020-10-13, 2020 年 10 月 13 日) or {{value, clock}}
// (09:30 of a UTC timestamp; the phrase names the zone). Anything else, such as a date as a server
// printed it, is shown as it is.
import type { Language } from './index';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z)?$/;

const WRITE_DAY: Record<Language, (year: string, month: string, day: string) => string> = {
  en: (year, month, day) => `${year}-${month}-${day}`,
  ja: (year, month, day) => `${year} 年 ${Number(month)} 月 ${Number(day)} 日`,
};

/** The day of an ISO date or UTC timestamp, as the language writes it. */
export function writeDay(value: unknown, lng: Language): string {
  const match = typeof value === 'string' ? ISO.exec(value) : null;
  return match ? WRITE_DAY[lng](match[1]!, match[2]!, match[3]!) : String(value);
}

/** The hour and minute of a UTC timestamp. */
export function writeClock(value: unknown): string {
  const match = typeof value === 'string' ? ISO.exec(value) : null;
  return match?.[4] ?? String(value);
}
