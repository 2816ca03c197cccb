// The help-desk lead's report as a card: a chart for each question the lead asks, each with a plain table of
// the same numbers for clients that do not draw charts. The chart elements and their properties are Teams'
// own (Microsoft Learn, Teams platform, "Charts in Adaptive Cards":
// https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/charts-in-adaptive-cards);
// their `fallback` may be a `Table`, which Adaptive Cards 1.5 brought.
import type { Report } from '../insights/report';
import { CHECKPOINTS, type CheckpointId, EXCHANGE_VERSIONS, PROTOCOLS } from '../flow/types';
import { checkpointName } from '../escalation/facts';
import { type Language, type Translate, translatorFor } from '../i18n';
import { writeDay } from '../i18n/dates';
import { type AdaptiveCard, drawPage } from './page';

type Element = Record<string, unknown>;

/** One labelled count: a slice, a bar, or a point of the line, and a row of its table. */
interface Count {
  label: string;
  value: number;
}

const OUTCOMES = ['solved', 'escalated', 'abandoned', 'open'] as const;
// Teams' named chart colours: the outcome reads the same at a glance in every report.
const OUTCOME_COLORS: Record<(typeof OUTCOMES)[number], string> = { solved: 'good', escalated: 'attention', abandoned: 'neutral', open: 'warning' };

const cell = (text: string, bolder = false): Element => ({
  type: 'TableCell',
  items: [{ type: 'TextBlock', text, wrap: true, ...(bolder ? { weight: 'Bolder' } : {}) }],
});

/** The numbers of a chart as a table: a header row, then one row per label with its counts. */
function table(header: string[], rows: Array<{ label: string; values: number[] }>): Element {
  return {
    type: 'Table',
    firstRowAsHeader: true,
    columns: header.map((_, i) => ({ width: i === 0 ? 3 : 1 })),
    rows: [
      { type: 'TableRow', cells: header.map((text) => cell(text, true)) },
      ...rows.map((row) => ({ type: 'TableRow', cells: [cell(row.label), ...row.values.map((value) => cell(String(value)))] })),
    ],
  };
}

/** A heading, then the chart (or its table on clients without charts), or a line saying there is nothing to draw. */
function section(heading: string, chart: Element | null, t: Translate): Element {
  return {
    type: 'Container',
    spacing: 'Large',
    separator: true,
    items: [{ type: 'TextBlock', text: heading, weight: 'Bolder', wrap: true }, chart ?? { type: 'TextBlock', text: t('report.noneInPeriod'), isSubtle: true, wrap: true }],
  };
}

/** Bars of the labels counted at least once; null when none was. */
function pointsChart(type: 'Chart.HorizontalBar' | 'Chart.VerticalBar', counts: Count[], header: string[]): Element | null {
  if (counts.length === 0) return null;
  return {
    type,
    xAxisTitle: header[0],
    yAxisTitle: header[1],
    ...(type === 'Chart.VerticalBar' ? { showBarValues: true } : {}),
    data: counts.map((c) => ({ x: c.label, y: c.value })),
    fallback: table(header, counts.map((c) => ({ label: c.label, values: [c.value] }))),
  };
}

function outcomesChart(report: Report, t: Translate): Element {
  const header = [t('report.column.outcome'), t('report.column.cases')];
  const slices = OUTCOMES.map((outcome) => ({ outcome, label: t(`report.outcome.${outcome}`), value: report.outcomes[outcome] }));
  return {
    type: 'Chart.Donut',
    data: slices.map((s) => ({ legend: s.label, value: s.value, color: OUTCOME_COLORS[s.outcome] })),
    fallback: table(header, slices.map((s) => ({ label: s.label, values: [s.value] }))),
  };
}

// Steps are named as the bot names them to the admin; without a case the name covers both protocols.
const stepName = (checkpoint: CheckpointId, t: Translate) => checkpointName(checkpoint, undefined, t);

function solvedAtChart(report: Report, t: Translate): Element | null {
  const places = [...CHECKPOINTS, 'elsewhere'] as const;
  const counts = places
    .filter((place) => report.solvedAt[place])
    .map((place) => ({ label: place === 'elsewhere' ? t('report.solvedElsewhere') : stepName(place, t), value: report.solvedAt[place]! }));
  return pointsChart('Chart.HorizontalBar', counts, [t('report.column.step'), t('report.column.solved')]);
}

/** Bars of the steps that failed at least once, grouped by step, one colour per protocol. */
function failedAtChart(report: Report, t: Translate): Element | null {
  const steps = CHECKPOINTS.filter((step) => PROTOCOLS.some((protocol) => report.failedAt[protocol][step]));
  if (steps.length === 0) return null;
  const rows = steps.map((step) => ({ label: stepName(step, t), values: PROTOCOLS.map((protocol) => report.failedAt[protocol][step] ?? 0) }));
  return {
    type: 'Chart.VerticalBar.Grouped',
    xAxisTitle: t('report.column.step'),
    yAxisTitle: t('report.column.cases'),
    showBarValues: true,
    data: PROTOCOLS.map((protocol, p) => ({ legend: t(`protocol.${protocol}`), values: rows.map((row) => ({ x: row.label, y: row.values[p]! })) })),
    fallback: table([t('report.column.step'), ...PROTOCOLS.map((protocol) => t(`protocol.${protocol}`))], rows),
  };
}

function escalationsChart(report: Report, t: Translate): Element | null {
  const counts = [...EXCHANGE_VERSIONS, 'unknown' as const]
    .filter((version) => report.escalationsByVersion[version])
    .map((version) => ({ label: t(`version.${version}`), value: report.escalationsByVersion[version]! }));
  return pointsChart('Chart.VerticalBar', counts, [t('report.column.version'), t('report.column.escalated')]);
}

function casesPerDayChart(report: Report, t: Translate, language: Language): Element {
  const header = [t('report.column.day'), t('report.column.cases')];
  const days = report.casesPerDay.map((d) => ({ label: writeDay(d.day, language), value: d.cases }));
  return {
    type: 'Chart.Line',
    xAxisTitle: header[0],
    yAxisTitle: header[1],
    data: [{ legend: header[1], values: days.map((d) => ({ x: d.label, y: d.value })) }],
    fallback: table(header, days.map((d) => ({ label: d.label, values: [d.value] }))),
  };
}

export function renderReport(report: Report, language: Language): AdaptiveCard {
  const t = translatorFor(language);
  const header = drawPage({
    title: t('report.title', { from: report.from, to: report.to }),
    caseLine: null,
    notice: null,
    paragraphs: [report.cases === 0 ? t('report.empty') : t('report.cases', { count: report.cases })],
    facts:
      report.cases === 0
        ? []
        : [
            {
              label: t('report.medianToTake'),
              value: report.medianMinutesToTake === null ? t('report.noneTaken') : t('report.minutes', { minutes: report.medianMinutesToTake }),
            },
          ],
    sections: [],
    inputs: [],
    choices: [],
    actions: [],
    more: [],
  });
  if (report.cases === 0) return header;
  const sections = [
    section(t('report.chart.outcomes'), outcomesChart(report, t), t),
    section(t('report.chart.solvedAt'), solvedAtChart(report, t), t),
    section(t('report.chart.failedAt'), failedAtChart(report, t), t),
    section(t('report.chart.escalations'), escalationsChart(report, t), t),
    section(t('report.chart.casesPerDay'), casesPerDayChart(report, t, language), t),
  ];
  return { ...header, body: [...(header.body as Element[]), ...sections] };
}
