// A strict JSON schema for the bot's cards that people act on (src/rendering/page.ts): the report card's
// elements (./reportCardSchema) plus inputs, buttons, a card a button opens, code, and the card's refresh, as
// the Adaptive Cards 1.5 schema defines them (http://adaptivecards.io/schemas/1.5.0/adaptive-card.json), and
// CodeBlock with the properties Microsoft lists for it (Microsoft Learn, Teams platform, "Format cards in
// Microsoft Teams", CodeBlock in Adaptive Cards:
// https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format#codeblock-in-adaptive-cards).
import { ELEMENTS, REPORT_CARD_SCHEMA, type Schema, TYPES, anyCase, byType, closed, element, ref } from './reportCardSchema';

/** An action: its own properties plus those every action has, and nothing else. */
function action(type: string, own: Record<string, Schema>): Schema {
  return closed(
    type,
    {
      title: { type: 'string' },
      iconUrl: { type: 'string' },
      style: anyCase('default', 'positive', 'destructive'),
      fallback: { anyOf: [ref('Action'), anyCase('drop')] },
      tooltip: { type: 'string' },
      isEnabled: { type: 'boolean' },
      mode: anyCase('primary', 'secondary'),
    },
    own,
  );
}

const ACTIONS = ['Action.Execute', 'Action.Submit', 'Action.ShowCard'] as const;
const DATA = { type: ['string', 'object'] };
const ASSOCIATED_INPUTS = anyCase('auto', 'none');
const report = REPORT_CARD_SCHEMA as { properties: Schema; definitions: Schema };

export const CARD_SCHEMA: Schema = {
  ...REPORT_CARD_SCHEMA,
  properties: {
    ...report.properties,
    refresh: { type: 'object', additionalProperties: false, required: ['action'], properties: { action: ref('Action.Execute'), userIds: { type: 'array', items: { type: 'string' } } } },
  },
  definitions: {
    ...report.definitions,
    Element: byType([...TYPES, 'ActionSet', 'Input.Text', 'CodeBlock']),
    Action: byType(ACTIONS),
    ActionSet: element('ActionSet', { actions: { type: 'array', items: ref('Action') } }, ['actions']),
    'Input.Text': element(
      'Input.Text',
      {
        isMultiline: { type: 'boolean' },
        maxLength: { type: 'number' },
        placeholder: { type: 'string' },
        regex: { type: 'string' },
        style: anyCase('text', 'tel', 'url', 'email', 'password'),
        inlineAction: ref('Action'),
        value: { type: 'string' },
        label: { type: 'string' },
        isRequired: { type: 'boolean' },
        errorMessage: { type: 'string' },
      },
      ['id'],
    ),
    CodeBlock: element('CodeBlock', { codeSnippet: { type: 'string' }, language: { type: 'string' }, startLineNumber: { type: 'number' } }, ['codeSnippet']),
    'Action.Execute': action('Action.Execute', { verb: { type: 'string' }, data: DATA, associatedInputs: ASSOCIATED_INPUTS }),
    'Action.Submit': action('Action.Submit', { data: DATA, associatedInputs: ASSOCIATED_INPUTS }),
    'Action.ShowCard': action('Action.ShowCard', {
      card: { type: 'object', additionalProperties: false, required: ['type'], properties: { type: { const: 'AdaptiveCard' }, body: ELEMENTS, actions: { type: 'array', items: ref('Action') } } },
    }),
  },
};
