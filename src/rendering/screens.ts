// One screen per state of the flow: what the admin reads and which buttons answer it.
import { type CaseView, caseStandingFacts } from './caseCards';
import { accessGuide, caseValues, clientSettings, remedy, stepGuide, supportRoute } from '../content/catalog';
import type { CommandBlock, Phrase } from '../content/types';
import { caseFacts, caseLine, checkpointName, commandGroups, protocolName } from '../escalation/facts';
import { buildHandoff, type EscalationTicket, type HandoffRecord, type Requester } from '../escalation/handoff';
import { caseSummary } from '../escalation/summary';
import { PASTE_LIMIT } from '../flow/diagnosis';
import { LIMITS, VERSION_NOT_GIVEN } from '../flow/details';
import { type FlowContext, type FlowStateName, NOTE_LIMIT, accepts, troubleshootingMachine } from '../flow/machine';
import { type CaseDetails, type CheckpointId, EXCHANGE_VERSIONS, PROTOCOLS, checkpointsFor, stepsFor } from '../flow/types';
import { type Language, type Translate, translatorFor } from '../i18n';
import { type AdaptiveCard, type ButtonModel, type InputModel, type PageModel, type SectionModel, drawPage } from './page';

export type Notice =
  | { kind: 'stale' }
  | { kind: 'restarted' }
  | { kind: 'unreadable' }
  | { kind: 'unknownText' }
  /** The bot read the text several ways: each choice is a button that says it. */
  | { kind: 'didYouMean'; choices: Choice[] }
  /** What the admin typed before sending the form filled some of it in. */
  | { kind: 'prefilled' }
  /** What the admin asked for is not something this screen does. */
  | { kind: 'notHere' }
  | { kind: 'needDetails' }
  | { kind: 'notApplicable' }
  | { kind: 'closed' }
  | { kind: 'storageFailed' }
  | { kind: 'badAction' }
  | { kind: 'registerOnlyInChannel' }
  | { kind: 'helpdeskRegistered' }
  | { kind: 'helpdeskFixed' }
  | { kind: 'helpdeskOtherTenant' }
  | { kind: 'reportOnlyInHelpdesk' }
  | { kind: 'reportUnavailable' };

/** A meaning offered on a "Did you mean…?" card: `say` goes back with the click, the rest names it. */
export interface Choice {
  say: string;
  label: string;
  checkpoint?: CheckpointId;
  language?: Language;
}

export interface View {
  state: FlowStateName;
  context: FlowContext;
  rev: number;
  language: Language;
  notice?: Notice;
  ticket?: EscalationTicket;
  firstContact?: boolean;
  /** Endpoints the operator allows the live check to reach; none when it is off. */
  probeTargets?: string[];
  /** Who is asking, so the escalation preview can say so before a ticket exists. */
  requester?: Requester;
  /** The escalated case as the help desk has it now, for the escalated screen. */
  standing?: CaseView;
}

type Screen = (view: View, t: Translate) => Omit<PageModel, 'caseLine' | 'notice' | 'more'>;

export const EMPTY = { paragraphs: [], facts: [], sections: [], inputs: [], choices: [], actions: [] };

function phrase(t: Translate, p: Phrase): string {
  return t(p.key, { ns: 'content', replace: p.values ?? {} });
}

function codeSection(heading: string, block: CommandBlock, lines: string[] = []): SectionModel {
  return {
    heading,
    lines,
    code: block.lines.length > 0 ? block.lines.join('\n') : null,
    codeLanguage: block.shell === 'powershell' ? 'PowerShell' : 'Bash',
  };
}

export function textSection(heading: string, lines: string[]): SectionModel {
  return { heading, lines, code: null, codeLanguage: 'PlainText' };
}

function button(
  view: View,
  title: string,
  verb: string,
  extra: Record<string, string> = {},
  style: ButtonModel['style'] = 'default',
): ButtonModel {
  return { title, verb, data: { verb, rev: view.rev, ...extra }, style };
}

function requireDetails(context: FlowContext): CaseDetails {
  if (!context.details) throw new Error('This screen needs the case details, but the conversation has none; start over.');
  return context.details;
}

const gathering: Screen = (view, t) => {
  const draft = view.context.draft ?? {};
  const details = view.context.details;
  const errorFor = (field: string) => {
    const error = view.context.detailErrors.find((e) => e.field === field);
    return error ? t(`gathering.errors.${error.problem}`, { field: t(`gathering.fields.${field}`) }) : null;
  };
  const value = (field: 'protocol' | 'version' | 'server' | 'mailbox' | 'errorText' | 'clientHost') =>
    draft[field] ?? details?.[field] ?? '';
  const text = (id: 'server' | 'mailbox' | 'errorText' | 'clientHost', maxLength: number, multiline = false): InputModel => ({
    kind: 'text',
    id,
    label: t(`gathering.fields.${id}`),
    value: value(id),
    placeholder: t(`gathering.placeholders.${id}`),
    multiline,
    maxLength,
    error: errorFor(id),
  });
  return {
    ...EMPTY,
    title: t('gathering.title'),
    paragraphs: [...(view.firstContact ? [t('gathering.greeting')] : []), t('gathering.intro'), t('gathering.noPasswords')],
    inputs: [
      {
        kind: 'choice',
        id: 'protocol',
        label: t('gathering.fields.protocol'),
        value: value('protocol'),
        style: 'expanded',
        required: true,
        requiredMessage: t('gathering.errors.required', { field: t('gathering.fields.protocol') }),
        choices: PROTOCOLS.map((p) => ({ title: t(`protocol.${p}`), value: p })),
        error: errorFor('protocol'),
      },
      {
        kind: 'choice',
        id: 'version',
        label: t('gathering.fields.version'),
        value: value('version') || VERSION_NOT_GIVEN,
        style: 'compact',
        required: false,
        requiredMessage: '',
        choices: [
          { title: t('version.unknown'), value: VERSION_NOT_GIVEN },
          ...EXCHANGE_VERSIONS.map((v) => ({ title: t(`version.${v}`), value: v })),
        ],
        error: errorFor('version'),
      },
      text('server', LIMITS.server),
      text('clientHost', LIMITS.clientHost),
      text('mailbox', LIMITS.mailbox),
      text('errorText', LIMITS.errorText, true),
    ],
    actions: [
      button(view, t('gathering.walk'), 'details', { next: 'walk' }, 'positive'),
      button(view, t('gathering.pick'), 'details', { next: 'pick' }),
      button(view, t('gathering.check'), 'details', { next: 'check' }),
    ],
  };
};

const clientScreen: Screen = (view, t) => {
  const guide = clientSettings(requireDetails(view.context));
  return {
    ...EMPTY,
    title: t('client.title'),
    paragraphs: [t('client.intro')],
    facts: [
      ...guide.endpoints.map((e) => ({
        label: phrase(t, e.label),
        value: `${e.host}:${e.port} (${phrase(t, e.encryption)})`,
      })),
      { label: t('client.userName'), value: phrase(t, guide.userName) },
    ],
    sections: [
      textSection(t('client.loginTypes'), guide.loginTypes.map((p) => phrase(t, p))),
      ...(guide.notes.length > 0 ? [textSection(t('common.notes'), guide.notes.map((p) => phrase(t, p)))] : []),
      codeSection(t('client.checkOnServer'), guide.check),
    ],
    actions: [
      button(view, t('buttons.worksNow'), 'worksNow', {}, 'positive'),
      button(view, t('client.matches'), 'stillFailing'),
      button(view, t('client.wrong'), 'thisFailed'),
    ],
  };
};

const accessScreen: Screen = (view, t) => ({
  ...EMPTY,
  title: t('access.title'),
  paragraphs: [t('access.intro')],
  sections: [textSection(t('access.needed'), accessGuide(requireDetails(view.context)).requirements.map((p) => phrase(t, p)))],
  actions: [
    button(view, t('access.have'), 'haveAccess', {}, 'positive'),
    button(view, t('access.haveNot'), 'noAccess'),
  ],
});

const stepScreen: Screen = (view, t) => {
  const details = requireDetails(view.context);
  const step = view.context.step ?? stepsFor(details.version)[0]!;
  const steps = stepsFor(details.version);
  const guide = stepGuide(step, details);
  const isLast = steps.indexOf(step) === steps.length - 1;
  return {
    ...EMPTY,
    title: t('step.title', { number: steps.indexOf(step) + 1, total: steps.length, name: phrase(t, guide.title) }),
    paragraphs: [phrase(t, guide.summary)],
    sections: [
      textSection(t('step.gui'), guide.gui.map((p, i) => `${i + 1}. ${phrase(t, p)}`)),
      codeSection(t('step.check'), guide.check),
      codeSection(t('step.fix'), guide.fix),
      codeSection(t('step.verify'), guide.verify),
      ...(guide.notes.length > 0 ? [textSection(t('common.notes'), guide.notes.map((p) => phrase(t, p)))] : []),
    ],
    actions: [
      button(view, t('buttons.worksNow'), 'worksNow', {}, 'positive'),
      button(view, isLast ? t('step.stillFailingLast') : t('step.stillFailing'), 'stillFailing'),
      button(view, t('step.thisFailed'), 'thisFailed', {}, 'destructive'),
    ],
  };
};

const whichScreen: Screen = (view, t) => {
  const details = requireDetails(view.context);
  return {
    ...EMPTY,
    title: t('which.title'),
    paragraphs: [t('which.intro')],
    choices: [
      // Server steps carry the number they have everywhere else, so "3" typed here means the button titled 3.
      ...checkpointsFor(details.version).map((checkpoint) => {
        const number = stepsFor(details.version).indexOf(checkpoint as never) + 1;
        const name = checkpointName(checkpoint, details, t);
        return button(view, number > 0 ? t('which.numbered', { number, name }) : name, 'pick', { checkpoint });
      }),
      button(view, t('which.notSure'), 'notSure'),
    ],
  };
};

const unsureScreen: Screen = (view, t) => ({
  ...EMPTY,
  title: t('unsure.title'),
  paragraphs: [t('unsure.intro')],
  actions: [
    button(view, t('unsure.walkAgain'), 'walkSteps', {}, 'positive'),
    button(view, t('unsure.check'), 'checkSettings'),
    button(view, t('buttons.escalate'), 'escalate'),
  ],
});

const checkScreen: Screen = (view, t) => {
  const details = requireDetails(view.context);
  const diagnosis = view.context.diagnosis;
  const verdict: SectionModel[] = diagnosis
    ? [
        textSection(t(diagnosis.source === 'probe' ? 'check.probeVerdict' : 'check.verdict'), [
          t(`diagnosis.${diagnosis.finding}`, { replace: { ...caseValues(details), ...diagnosis.values } }),
          ...(diagnosis.checkpoint ? [t('check.points', { name: checkpointName(diagnosis.checkpoint, details, t) })] : []),
        ]),
      ]
    : [];
  return {
    ...EMPTY,
    title: t('check.title'),
    paragraphs: [t('check.intro')],
    sections: [...verdict, codeSection(t('check.commands'), supportRoute(details.version, details).collect)],
    inputs: [
      {
        kind: 'text',
        id: 'paste',
        label: t('check.pasteLabel'),
        value: '',
        placeholder: t('check.pastePlaceholder'),
        multiline: true,
        maxLength: PASTE_LIMIT,
        error: null,
      },
    ],
    choices: (view.probeTargets ?? []).slice(0, 4).map((target) => button(view, t('check.probe', { target }), 'probe', { target })),
    actions: [
      button(view, t('check.read'), 'paste', {}, 'positive'),
      ...(diagnosis?.checkpoint ? [button(view, t('check.showFix', { name: checkpointName(diagnosis.checkpoint, details, t) }), 'showFix')] : []),
      button(view, t('unsure.walkAgain'), 'walkSteps'),
    ],
  };
};

const remedyScreen: Screen = (view, t) => {
  const details = requireDetails(view.context);
  const checkpoint = view.context.checkpoint ?? 'clientSettings';
  const fix = remedy(checkpoint, details);
  return {
    ...EMPTY,
    title: t('remedy.title', { name: phrase(t, fix.title) }),
    paragraphs: [t('remedy.intro')],
    sections: [
      codeSection(t('remedy.diagnose'), fix.diagnose),
      ...fix.causes.map((cause, i) => codeSection(t('remedy.cause', { number: i + 1, cause: phrase(t, cause.cause) }), cause.fix)),
      codeSection(t('remedy.verify'), fix.verify),
    ],
    actions: [
      button(view, t('remedy.fixed'), 'worksNow', {}, 'positive'),
      button(view, t('remedy.tryAnother'), 'tryAnother'),
      button(view, t('remedy.escalate'), 'escalate', {}, 'destructive'),
    ],
  };
};

function commandSections(record: HandoffRecord, t: Translate): SectionModel[] {
  return commandGroups(record, t).map((group) => codeSection(t('confirm.commandsFor', { name: group.name }), { shell: 'powershell', lines: group.lines }));
}

function summarySection(heading: string, summary: string): SectionModel {
  return { heading, lines: [], code: summary, codeLanguage: 'PlainText' };
}

/**
 * The record minus what reads the same in every language (the commands already given, the admin's own
 * note), for a summary followed by the English one that carries them.
 */
function withoutVerbatim(record: HandoffRecord): HandoffRecord {
  return { ...record, commands: [], checkCommands: undefined, note: undefined };
}

function previewTicket(view: View): EscalationTicket {
  return view.ticket ?? { id: '—', createdAt: new Date(0).toISOString(), requester: view.requester ?? { id: '—' }, language: view.language };
}

const confirmScreen: Screen = (view, t) => {
  const record = buildHandoff(view.context, previewTicket(view));
  const facts = caseFacts(record, t).filter((f) => f.label !== t('facts.escalation') && f.label !== t('facts.openedAt'));
  return {
    ...EMPTY,
    title: t('confirm.title'),
    paragraphs: [t(`confirm.because.${record.reason}`), t('confirm.check')],
    facts,
    sections: commandSections(record, t),
    inputs: [
      {
        kind: 'text',
        id: 'note',
        label: t('confirm.note'),
        value: view.context.note ?? '',
        placeholder: t('confirm.notePlaceholder'),
        multiline: true,
        maxLength: NOTE_LIMIT,
        error: null,
      },
    ],
    // Fixed while writing the note: the case closes as solved instead of reaching the help desk.
    actions: [button(view, t('confirm.send'), 'confirmEscalation', {}, 'positive'), button(view, t('buttons.worksNow'), 'worksNow')],
  };
};

const escalatedScreen: Screen = (view, t) => {
  const record = buildHandoff(view.context, previewTicket(view));
  const route = supportRoute(record.details?.version, record.details);
  const english = translatorFor('en');
  // One summary to paste, holding everything once: the admin's own language first, then English for
  // whoever takes the case further (Microsoft support, or a partner for a version out of support) with the
  // commands and the note, which read the same in every language. Two whole summaries would carry them
  // twice and push the card over Teams' size limit.
  const summary =
    view.language === 'en'
      ? summarySection(phrase(t, route.summaryHeading), caseSummary(record, english))
      : summarySection(phrase(t, route.summaryOwnHeading), `${caseSummary(withoutVerbatim(record), t)}\n\n${caseSummary(record, english)}`);
  // The settings check hands out the very commands support asks for: once the summary lists them, say so.
  const collectHeading = phrase(t, route.collectHeading);
  const collect = record.checkCommands
    ? textSection(collectHeading, [t('escalated.collectInSummary', { name: t('check.title'), nameEnglish: english('check.title') })])
    : codeSection(collectHeading, route.collect);
  return {
    ...EMPTY,
    title: t('escalated.title', { id: record.id }),
    paragraphs: [nextAfterEscalation(record, t), phrase(t, route.status)],
    facts: view.standing ? caseStandingFacts(view.standing, t) : [],
    sections: [
      textSection(phrase(t, route.routeHeading), route.route.map((p, i) => `${i + 1}. ${phrase(t, p)}`)),
      collect,
      summary,
    ],
    actions: [button(view, t('buttons.startOver'), 'startOver', {}, 'positive')],
  };
};

function nextAfterEscalation(record: HandoffRecord, t: Translate): string {
  const targets = record.deliveredTo ?? [];
  if (targets.length === 0) return t('escalated.next');
  return t('escalated.sent', { id: record.id, targets: targets.map((target) => t(`helpdesk.targets.${target}`)).join(t('common.and')) });
}

const resolvedScreen: Screen = (view, t) => {
  const worked = [...view.context.journal].reverse().find((e) => e.outcome === 'worked');
  return {
    ...EMPTY,
    title: t('resolved.title'),
    paragraphs: [
      worked ? t('resolved.by', { name: checkpointName(worked.checkpoint, view.context.details, t) }) : t('resolved.plain'),
      t('resolved.closing'),
    ],
    actions: [button(view, t('buttons.startOver'), 'startOver', {}, 'positive')],
  };
};

const screens: Record<FlowStateName, Screen> = {
  gathering,
  clientSettings: clientScreen,
  checkingAccess: accessScreen,
  checkingStep: stepScreen,
  choosingFailedStep: whichScreen,
  unsure: unsureScreen,
  showingRemedy: remedyScreen,
  checkingSettings: checkScreen,
  confirmingEscalation: confirmScreen,
  escalated: escalatedScreen,
  resolved: resolvedScreen,
};

function languageButton(view: View, t: Translate): ButtonModel {
  const other: Language = view.language === 'en' ? 'ja' : 'en';
  return button(view, t(`language.switchTo.${other}`), 'language', { language: other });
}

/**
 * The ways out every screen offers, so no state is a dead end: a button appears exactly when the flow
 * accepts its event here, unless the screen already asks the same thing among its own buttons.
 */
function waysOut(view: View, t: Translate, own: ButtonModel[]): ButtonModel[] {
  const snapshot = troubleshootingMachine.resolveState({ value: view.state, context: view.context });
  const offers = (type: 'BACK' | 'WHICH_FAILED' | 'ESCALATE' | 'START_OVER') => accepts(snapshot, { type });
  const candidates: Array<[boolean, ButtonModel]> = [
    [offers('BACK'), button(view, t('buttons.back'), 'back')],
    [offers('WHICH_FAILED') && view.state !== 'choosingFailedStep', button(view, t('buttons.whichFailed'), 'whichFailed')],
    [offers('ESCALATE') && view.state !== 'confirmingEscalation', button(view, t('buttons.escalate'), 'escalate')],
    [true, button(view, t('buttons.help'), 'help')],
    [true, languageButton(view, t)],
    [offers('START_OVER') && view.state !== 'gathering', button(view, t('buttons.startOver'), 'startOver')],
  ];
  return candidates.filter(([offered, b]) => offered && !own.some((o) => o.verb === b.verb)).map(([, b]) => b);
}

function noticeText(notice: Notice | undefined, t: Translate): string | null {
  return notice ? t(`notice.${notice.kind}`) : null;
}

function choiceButtons(view: View, t: Translate): ButtonModel[] {
  if (view.notice?.kind !== 'didYouMean') return [];
  return view.notice.choices.map((choice) => {
    const name = choice.checkpoint ? checkpointName(choice.checkpoint, view.context.details, t) : '';
    const title = choice.language ? t(`language.switchTo.${choice.language}`) : t(`meaning.${choice.label}`, { name });
    return button(view, title, 'meant', { say: choice.say });
  });
}

export function renderState(view: View): AdaptiveCard {
  const t = translatorFor(view.language);
  const screen = screens[view.state](view, t);
  const card = drawPage({
    ...screen,
    caseLine: view.state === 'gathering' ? null : caseLine(view.context.details, t),
    notice: noticeText(view.notice, t),
    noticeButtons: choiceButtons(view, t),
    more: waysOut(view, t, [...screen.actions, ...screen.choices]),
  });
  if (view.state !== 'escalated' || !view.ticket) return card;
  // Teams asks for the escalated card afresh when the admin looks at it: it then shows where the case stands.
  const refresh = { verb: 'refresh', case: view.ticket.id };
  return { ...card, refresh: { action: { type: 'Action.Execute', verb: refresh.verb, data: refresh } } };
}

/** What the help desk's channel receives: the whole record, the commands already given, the summary. */
export function handoffPage(record: HandoffRecord, t: Translate): PageModel {
  return {
    ...EMPTY,
    title: t('helpdesk.title', { id: record.id }),
    caseLine: caseLine(record.details, t),
    notice: null,
    paragraphs: [t('helpdesk.intro', { name: record.requester.name ?? record.requester.id, protocol: protocolName(record.details, t) })],
    facts: caseFacts(record, t),
    // The English summary already lists the commands given, under what gave them: not drawn twice.
    sections: [summarySection(phrase(t, supportRoute(record.details?.version, record.details).summaryHeading), caseSummary(record, translatorFor('en')))],
    more: [],
  };
}

export function renderHelp(view: View): AdaptiveCard {
  const t = translatorFor(view.language);
  return drawPage({
    ...EMPTY,
    title: t('help.title'),
    caseLine: null,
    notice: null,
    paragraphs: [t('help.intro')],
    sections: [textSection(t('help.sayHeading'), t('help.say', { returnObjects: true }) as string[])],
    more: [],
  });
}
