// The help-desk lead's report as a card. This first drawing is the plain figures every client can show; the
// charts (Chart.Donut, Chart.VerticalBar, Chart.Line, with these tables as their fallback) come on top of it.
import type { Report } from '../insights/report';
import { type Language, translatorFor } from '../i18n';
import { type AdaptiveCard, drawPage } from './page';

export function renderReport(report: Report, language: Language): AdaptiveCard {
  const t = translatorFor(language);
  const outcomes = (['solved', 'escalated', 'abandoned', 'open'] as const).map((outcome) => ({
    label: t(`report.outcome.${outcome}`),
    value: String(report.outcomes[outcome]),
  }));
  return drawPage({
    title: t('report.title', { from: report.from, to: report.to }),
    caseLine: null,
    notice: null,
    paragraphs: [t('report.cases', { count: report.cases })],
    facts: outcomes,
    sections: [],
    inputs: [],
    choices: [],
    actions: [],
    more: [],
  });
}
