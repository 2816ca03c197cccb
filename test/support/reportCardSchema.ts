// A strict JSON schema for the elements the report card is built from. node_modules holds no Adaptive Cards
// 1.5 schema (the adaptivecards package there is 1.2), so this one is written out: the 1.5 elements as the
// Adaptive Cards 1.5 schema defines them (http://adaptivecards.io/schemas/1.5.0/adaptive-card.json: every
// element closed with additionalProperties false, enum values matched without regard to case), and the
// chart elements with the properties Microsoft lists for them (Microsoft Learn, Teams platform, "Charts in
// Adaptive Cards": https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/charts-in-adaptive-cards).
// An element or property not listed here fails: the card may only use what a Teams client knows.

export type Schema = Record<string, unknown>;

/** The values an enum takes, in any case, as the Adaptive Cards schema accepts them. */
export function anyCase(...values: string[]): Schema {
  const letters = (value: string) => [...value].map((c) => (c.toLowerCase() === c.toUpperCase() ? c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : `[${c.toLowerCase()}${c.toUpperCase()}]`)).join('');
  return { type: 'string', pattern: `^(?:${values.map(letters).join('|')})$` };
}

export const ref = (name: string): Schema => ({ $ref: `#/definitions/${name}` });

/** One type of a kind (an element, an action): its own properties plus those its whole kind has, and nothing else. */
export function closed(type: string, kind: Record<string, Schema>, own: Record<string, Schema>, required: string[] = []): Schema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['type', ...required],
    properties: { type: { const: type }, id: { type: 'string' }, requires: { type: 'object', additionalProperties: { type: 'string' } }, ...kind, ...own },
  };
}

/** An element: its own properties plus those every element has, and nothing else. */
export function element(type: string, own: Record<string, Schema>, required: string[] = []): Schema {
  return closed(
    type,
    {
      isVisible: { type: 'boolean' },
      separator: { type: 'boolean' },
      spacing: ref('Spacing'),
      height: anyCase('auto', 'stretch'),
      fallback: { anyOf: [ref('Element'), anyCase('drop')] },
    },
    own,
    required,
  );
}

const HORIZONTAL = anyCase('left', 'center', 'right');
const VERTICAL = anyCase('top', 'center', 'bottom');
const CONTAINER_STYLE = anyCase('default', 'emphasis', 'good', 'attention', 'warning', 'accent');
export const ELEMENTS = { type: 'array', items: ref('Element') };

// The charts' own properties, as Microsoft's page lists them for each chart.
const CHART_COLOR = anyCase(
  'good', 'warning', 'attention', 'neutral',
  'categoricalRed', 'categoricalPurple', 'categoricalLavender', 'categoricalBlue', 'categoricalLightBlue', 'categoricalTeal', 'categoricalGreen', 'categoricalLime', 'categoricalMarigold',
  'sequential1', 'sequential2', 'sequential3', 'sequential4', 'sequential5', 'sequential6', 'sequential7', 'sequential8',
  'divergingBlue', 'divergingLightBlue', 'divergingCyan', 'divergingTeal', 'divergingYellow', 'divergingPeach', 'divergingLightRed', 'divergingRed', 'divergingMaroon', 'divergingGray',
);
const CHART_COMMON: Record<string, Schema> = {
  title: { type: 'string' },
  colorSet: { type: 'string' },
  'grid.area': { type: 'string' },
  horizontalAlignment: HORIZONTAL,
  lang: { type: 'string' },
  targetWidth: anyCase('VeryNarrow', 'Narrow', 'Standard', 'Wide', 'atLeast:VeryNarrow', 'atMost:VeryNarrow', 'atLeast:Narrow', 'atMost:Narrow', 'atLeast:Standard', 'atMost:Standard', 'atLeast:Wide', 'atMost:Wide'),
  // Charts space themselves with one more step than the 1.5 elements.
  spacing: anyCase('None', 'ExtraSmall', 'Small', 'Default', 'Medium', 'Large', 'ExtraLarge', 'Padding'),
};
const AXES: Record<string, Schema> = { color: CHART_COLOR, xAxisTitle: { type: 'string' }, yAxisTitle: { type: 'string' } };
const point = (): Schema => ({
  type: 'object',
  additionalProperties: false,
  required: ['x', 'y'],
  properties: { x: { type: ['string', 'number'] }, y: { type: 'number' }, color: CHART_COLOR },
});
const series = (): Schema => ({
  type: 'object',
  additionalProperties: false,
  required: ['legend', 'values'],
  properties: { legend: { type: 'string' }, color: CHART_COLOR, values: { type: 'array', minItems: 1, items: point() } },
});
const data = (item: Schema): Schema => ({ type: 'array', minItems: 1, items: item });

/** Picks an element's definition by its type, so a mistake is reported against that element alone. */
export function byType(types: readonly string[]): Schema {
  return {
    type: 'object',
    required: ['type'],
    properties: { type: { enum: [...types] } },
    allOf: types.map((type) => ({ if: { properties: { type: { const: type } } }, then: ref(type) })),
  };
}

export const TYPES = [
  'TextBlock', 'RichTextBlock', 'Container', 'ColumnSet', 'Table',
  'Chart.Donut', 'Chart.HorizontalBar', 'Chart.VerticalBar', 'Chart.VerticalBar.Grouped', 'Chart.Line',
] as const;

export const REPORT_CARD_SCHEMA: Schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['type', 'version', 'body'],
  properties: {
    type: { const: 'AdaptiveCard' },
    $schema: { type: 'string' },
    version: { const: '1.5' },
    // Teams' own addition: the card takes the full width of the conversation
    // (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format#full-width-adaptive-card).
    msteams: { type: 'object', additionalProperties: false, properties: { width: { const: 'Full' } } },
    body: ELEMENTS,
    fallbackText: { type: 'string' },
    lang: { type: 'string' },
  },
  definitions: {
    Spacing: anyCase('default', 'none', 'small', 'medium', 'large', 'extraLarge', 'padding'),
    Element: byType(TYPES),
    TextBlock: element(
      'TextBlock',
      {
        text: { type: 'string' },
        color: anyCase('default', 'dark', 'light', 'accent', 'good', 'warning', 'attention'),
        fontType: anyCase('default', 'monospace'),
        horizontalAlignment: HORIZONTAL,
        isSubtle: { type: 'boolean' },
        maxLines: { type: 'number' },
        size: anyCase('default', 'small', 'medium', 'large', 'extraLarge'),
        weight: anyCase('default', 'lighter', 'bolder'),
        wrap: { type: 'boolean' },
        style: anyCase('default', 'heading'),
      },
      ['text'],
    ),
    RichTextBlock: element('RichTextBlock', { inlines: { type: 'array', items: ref('TextRun') }, horizontalAlignment: HORIZONTAL }, ['inlines']),
    TextRun: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'text'],
      properties: {
        type: { const: 'TextRun' },
        text: { type: 'string' },
        color: anyCase('default', 'dark', 'light', 'accent', 'good', 'warning', 'attention'),
        fontType: anyCase('default', 'monospace'),
        highlight: { type: 'boolean' },
        isSubtle: { type: 'boolean' },
        italic: { type: 'boolean' },
        size: anyCase('default', 'small', 'medium', 'large', 'extraLarge'),
        strikethrough: { type: 'boolean' },
        underline: { type: 'boolean' },
        weight: anyCase('default', 'lighter', 'bolder'),
      },
    },
    Container: element('Container', { items: ELEMENTS, style: CONTAINER_STYLE, verticalContentAlignment: VERTICAL, bleed: { type: 'boolean' }, minHeight: { type: 'string' } }, ['items']),
    ColumnSet: element('ColumnSet', { columns: { type: 'array', items: ref('Column') }, style: CONTAINER_STYLE, bleed: { type: 'boolean' }, minHeight: { type: 'string' }, horizontalAlignment: HORIZONTAL }),
    Column: {
      type: 'object',
      additionalProperties: false,
      properties: {
        type: { const: 'Column' },
        items: ELEMENTS,
        width: { type: ['string', 'number'] },
        style: CONTAINER_STYLE,
        verticalContentAlignment: VERTICAL,
        separator: { type: 'boolean' },
        spacing: ref('Spacing'),
        id: { type: 'string' },
        isVisible: { type: 'boolean' },
      },
    },
    Table: element('Table', {
      columns: { type: 'array', items: ref('TableColumnDefinition') },
      rows: { type: 'array', items: ref('TableRow') },
      firstRowAsHeader: { type: 'boolean' },
      showGridLines: { type: 'boolean' },
      gridStyle: CONTAINER_STYLE,
      horizontalCellContentAlignment: HORIZONTAL,
      verticalCellContentAlignment: VERTICAL,
    }),
    TableColumnDefinition: {
      type: 'object',
      additionalProperties: false,
      properties: { type: { const: 'TableColumnDefinition' }, width: { type: ['string', 'number'] }, horizontalCellContentAlignment: HORIZONTAL, verticalCellContentAlignment: VERTICAL },
    },
    TableRow: {
      type: 'object',
      additionalProperties: false,
      properties: { type: { const: 'TableRow' }, cells: { type: 'array', items: ref('TableCell') }, style: CONTAINER_STYLE, horizontalCellContentAlignment: HORIZONTAL, verticalCellContentAlignment: VERTICAL },
    },
    TableCell: {
      type: 'object',
      additionalProperties: false,
      required: ['items'],
      properties: { type: { const: 'TableCell' }, items: ELEMENTS, style: CONTAINER_STYLE, verticalContentAlignment: VERTICAL, bleed: { type: 'boolean' }, minHeight: { type: 'string' } },
    },
    'Chart.Donut': element(
      'Chart.Donut',
      {
        ...CHART_COMMON,
        data: data({ type: 'object', additionalProperties: false, properties: { legend: { type: 'string' }, value: { type: 'number' }, color: CHART_COLOR } }),
      },
      ['data'],
    ),
    'Chart.HorizontalBar': element('Chart.HorizontalBar', { ...CHART_COMMON, ...AXES, displayMode: anyCase('AbsoluteWithAxis', 'AbsoluteNoAxis', 'PartToWhole'), data: data(point()) }, ['data']),
    'Chart.VerticalBar': element('Chart.VerticalBar', { ...CHART_COMMON, ...AXES, showBarValues: { type: 'boolean' }, data: data(point()) }, ['data']),
    'Chart.VerticalBar.Grouped': element('Chart.VerticalBar.Grouped', { ...CHART_COMMON, ...AXES, showBarValues: { type: 'boolean' }, stacked: { type: 'boolean' }, data: data(series()) }, ['data']),
    'Chart.Line': element('Chart.Line', { ...CHART_COMMON, ...AXES, data: data(series()) }, ['data']),
  },
};
