// What each party sees of a case after it is escalated: the help desk's case card in its channel, the
// admin's messages in their own chat, the notes in the case's thread. The casework room says what happened;
// this module says it in words.
//
// Microsoft support's case is a "service request" (Japanese: サービス リクエスト), as the Microsoft 365 admin
// center's own help names what an admin opens there: Microsoft Learn, "ビジネス向け Microsoft 365 のサポートを受ける"
// (https://learn.microsoft.com/ja-jp/microsoft-365/admin/get-help-support), "オンラインでサービス リクエストを開始すると…".
import { type CaseStatus, type Member, QUESTION_LIMIT, SERVICE_REQUEST_LIMIT } from '../casework/machine';
import { type CaseMessage, type ChannelNote, aboutText } from '../casework/messages';
import type { CaseFile } from '../escalation/caseFile';
import { caseLine } from '../escalation/facts';
import { type Language, type Translate, translatorFor } from '../i18n';
import { type AdaptiveCard, type ButtonModel, type FactModel, type InputModel, type PageModel, drawPage } from './page';
import { EMPTY, handoffPage, textSection } from './screens';

export type CaseView = Pick<CaseFile, 'id' | 'record' | 'status' | 'context' | 'rev'>;

/** What the help desk types on the case card. */
export type CaseField = 'question' | 'serviceRequest' | 'resolution';

/** Said at the top of the case card, to the member who clicked. */
export type CaseNotice =
  | { kind: 'takenBy'; owner: Member }
  | { kind: 'stale' }
  | { kind: 'notHelpdesk' }
  | { kind: 'unknownCase' }
  | { kind: 'missing'; field: CaseField }
  | { kind: 'tooLong'; field: CaseField; limit: number }
  /** The action does not fit the case's status. */
  | { kind: 'notNow' };

/** Answers to the admin's own clicks and typing about a case. */
export type AdminCaseNotice =
  | { kind: 'relayed'; to?: Member }
  | { kind: 'thanksFixed' }
  | { kind: 'reopened' }
  | { kind: 'missing'; field: 'answer' | 'reason' }
  | { kind: 'tooLong'; field: 'answer' | 'reason'; limit: number }
  | { kind: 'notNow' }
  | { kind: 'unknownCase' }
  /** Somebody else in the admin's group chat or channel clicked: only the admin who escalated answers for the case. */
  | { kind: 'notYours'; requester: Member };

/** Answers to a help-desk member that show no case: refusals, and a message relayed from the case's thread. */
export type HelpdeskNotice =
  | { kind: 'notHelpdesk' }
  | { kind: 'unknownCase' }
  | { kind: 'badAction' }
  | { kind: 'missing'; field: 'question' }
  | { kind: 'tooLong'; field: 'question'; limit: number }
  | { kind: 'relayed'; to: Member };

type AdminMessage = Extract<CaseMessage, { to: 'admin' }>;

// Teams recommends keeping a bot message within 80 KB, counted as UTF-16 (Microsoft Learn, Teams platform, "Format
// your bot messages": https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages); the
// activity around the card, its ids and service URL, takes up to 6 KB of it (test/support/largest.ts).
const CARD_BUDGET = 74 * 1024;
// The whole record at its longest already takes most of that: a case card that would not fit shows each long
// value up to this long, and says where it is in full.
const SHOWN_WHEN_FULL = 280;
// The admin's list shows the newest cases; older ones are counted.
const LISTED = 10;

/** Everything a party types about a case: the help desk on its card, the admin on their messages. */
export type TypedField = CaseField | 'answer' | 'reason';

/** How long each typed value may be: the cards' input boxes and the desks' checks share it. */
export const FIELD_LIMITS: Record<TypedField, number> = {
  question: QUESTION_LIMIT,
  serviceRequest: SERVICE_REQUEST_LIMIT,
  resolution: QUESTION_LIMIT,
  answer: QUESTION_LIMIT,
  reason: QUESTION_LIMIT,
};

/** A member by name; Teams may send an empty one, and then only the id says who it is. */
function nameOf(member: Member): string {
  return member.name || member.id;
}

/** The text up to `room` characters, cut at a line break when one is near, and `more` said after it. */
function shorten(text: string, room: number, more = ''): string {
  if (text.length <= room) return text;
  const cut = text.slice(0, room);
  const line = cut.lastIndexOf('\n');
  return `${line > room / 2 ? cut.slice(0, line) : cut}…${more}`;
}

function statusName(status: CaseStatus, t: Translate): string {
  return t(`case.status.${status}`);
}

function title(view: CaseView, t: Translate): string {
  return t('case.title', { id: view.id, status: statusName(view.status, t) });
}

/** Every button of a case carries the case and the revision it was drawn for. */
function caseButton(view: CaseView, title: string, verb: string, style: ButtonModel['style'] = 'default', form?: ButtonModel['form'], about?: string): ButtonModel {
  return { title, verb, data: { verb, rev: view.rev, case: view.id, ...(about ? { about } : {}) }, style, ...(form ? { form } : {}) };
}

function field(id: TypedField, t: Translate, value = ''): InputModel {
  return {
    kind: 'text',
    id,
    label: t(`case.fields.${id}.label`),
    value,
    placeholder: t(`case.fields.${id}.placeholder`),
    multiline: id !== 'serviceRequest',
    maxLength: FIELD_LIMITS[id],
    error: null,
  };
}

/** A button that opens one field and sends it. */
function formButton(view: CaseView, t: Translate, id: TypedField, verb: string, titleKey: string, value = '', about?: string): ButtonModel {
  return caseButton(view, t(titleKey), verb, 'default', { inputs: [field(id, t, value)], send: t(`case.fields.${id}.send`) }, about);
}

/** Who has the case, and the numbers others know it by: what the card and the admin's list both show. */
function standing(view: CaseView, t: Translate): FactModel[] {
  const { owner, serviceRequest, ticketId } = view.context;
  return [
    { label: t('case.facts.owner'), value: owner ? nameOf(owner) : t('case.facts.noOwner') },
    ...(serviceRequest ? [{ label: t('case.facts.serviceRequest'), value: serviceRequest }] : []),
    ...(ticketId ? [{ label: t('case.facts.ticket'), value: ticketId }] : []),
  ];
}

/** Where the case stands, for the admin's escalated card: its status, who has it, its numbers. */
export function caseStandingFacts(view: CaseView, t: Translate): FactModel[] {
  return [{ label: t('case.facts.status'), value: statusName(view.status, t) }, ...standing(view, t)];
}

/** What was said about the case that the help desk needs in view, as the case now stands. */
function conversation(view: CaseView, t: Translate, room: number): FactModel[] {
  const { question, resolution, reopened, reopenReason } = view.context;
  return [
    ...(view.status === 'waitingForAdmin' && question ? [{ label: t('case.facts.question'), value: shorten(question.text, room) }] : []),
    ...(resolution ? [{ label: t('case.facts.resolution'), value: shorten(resolution.note, room) }] : []),
    ...(reopened > 0 ? [{ label: t('case.facts.reopened'), value: t('case.facts.reopenedTimes', { times: reopened }) }] : []),
    ...(reopenReason ? [{ label: t('case.facts.reopenReason'), value: shorten(reopenReason, room) }] : []),
  ];
}

/** The record's facts, less its number (the card's title says it); each also in the case summary below them. */
function recordFacts(facts: FactModel[], t: Translate, room: number): FactModel[] {
  const more = `\n${t('case.inSummary')}`;
  return facts.filter((f) => f.label !== t('facts.escalation')).map((f) => ({ ...f, value: shorten(f.value, room, more) }));
}

/** The help desk's buttons for the case as it stands: whoever is not the owner is told so when they click. */
function helpdeskButtons(view: CaseView, t: Translate): ButtonModel[] {
  if (view.status === 'resolved' || view.status === 'closed') return [caseButton(view, t('case.buttons.reopen'), 'caseReopen')];
  return [
    ...(view.status === 'open' ? [caseButton(view, t('case.buttons.take'), 'caseTake', 'positive')] : []),
    formButton(view, t, 'question', 'caseAsk', 'case.buttons.ask'),
    formButton(view, t, 'serviceRequest', 'caseMicrosoft', 'case.buttons.microsoft', view.context.serviceRequest ?? ''),
    formButton(view, t, 'resolution', 'caseResolve', 'case.buttons.resolve'),
  ];
}

function fieldName(field: TypedField, t: Translate): { field: string; send: string } {
  return { field: t(`case.fields.${field}.label`), send: t(`case.fields.${field}.send`) };
}

/** Why a typed value was not taken, for whichever party typed it. */
function refusalText(refusal: { kind: 'missing'; field: TypedField } | { kind: 'tooLong'; field: TypedField; limit: number }, t: Translate): string {
  const { field, send } = fieldName(refusal.field, t);
  return refusal.kind === 'missing' ? t('case.notice.missing', { field, send }) : t('case.notice.tooLong', { field, limit: refusal.limit });
}

function caseNoticeText(notice: CaseNotice, view: CaseView, t: Translate): string {
  switch (notice.kind) {
    case 'takenBy':
      return t('case.notice.takenBy', { name: nameOf(notice.owner) });
    case 'missing':
    case 'tooLong':
      return refusalText(notice, t);
    case 'notNow':
      return t('case.notice.notNow', { status: statusName(view.status, t) });
    default:
      return t(`case.notice.${notice.kind}`);
  }
}

/**
 * The help-desk channel's case card: the handoff card's content plus who has the case, its numbers and what
 * was said, and the buttons that fit its status. Teams asks the bot for it afresh (`refresh`, verb caseRefresh)
 * whenever a member opens the channel, so every member sees the case as it stands. `notice` is said to the
 * member who clicked, at the top.
 */
export function renderCaseCard(view: CaseView, language: Language, notice?: CaseNotice): AdaptiveCard {
  const t = translatorFor(language);
  const whole = drawCaseCard(view, t, notice, Infinity);
  return JSON.stringify(whole).length <= CARD_BUDGET ? whole : drawCaseCard(view, t, notice, SHOWN_WHEN_FULL);
}

function drawCaseCard(view: CaseView, t: Translate, notice: CaseNotice | undefined, room: number): AdaptiveCard {
  const handoff = handoffPage(view.record, t);
  const card = drawPage({
    ...handoff,
    title: title(view, t),
    notice: notice ? caseNoticeText(notice, view, t) : null,
    noticeButtons: notice?.kind === 'takenBy' ? [caseButton(view, t('case.buttons.takeOver'), 'caseTakeOver', 'positive')] : [],
    facts: [...standing(view, t), ...conversation(view, t, room), ...recordFacts(handoff.facts, t, room)],
    actions: helpdeskButtons(view, t),
  });
  // No userIds: in a channel of fewer than 60 members Teams refreshes the card for everyone who sees it.
  return { ...card, refresh: { action: { type: 'Action.Execute', verb: 'caseRefresh', data: { verb: 'caseRefresh', rev: view.rev, case: view.id } } } };
}

/** The page every message to the admin shares: the case at a glance, and a way to list their cases. */
function adminPage(view: CaseView, t: Translate, page: Partial<PageModel> & Pick<PageModel, 'title'>): AdaptiveCard {
  return drawPage({
    ...EMPTY,
    caseLine: caseLine(view.record.details, t),
    notice: null,
    more: [caseButton(view, t('case.buttons.list'), 'caseList')],
    ...page,
  });
}

/** A message to the admin about their case, in their language. */
export function renderAdminMessage(message: AdminMessage, view: CaseView, language: Language): AdaptiveCard {
  const t = translatorFor(language);
  const id = view.id;
  switch (message.kind) {
    case 'question':
      return adminPage(view, t, {
        title: t('case.admin.question.title'),
        paragraphs: [t('case.admin.question.text', { name: nameOf(message.by), id }), message.text, t('case.admin.question.orType')],
        inputs: [field('answer', t)],
        actions: [caseButton(view, t('case.fields.answer.send'), 'caseAnswer', 'positive', undefined, aboutText(message.text))],
      });
    case 'resolved':
      return adminPage(view, t, {
        title: t('case.admin.resolved.title'),
        paragraphs: [t('case.admin.resolved.text', { name: nameOf(message.by), id }), message.note, t('case.admin.resolved.didItFix')],
        actions: [
          caseButton(view, t('case.buttons.fixed'), 'caseFixed', 'positive', undefined, aboutText(message.note)),
          formButton(view, t, 'reason', 'caseNotFixed', 'case.buttons.notFixed', '', aboutText(message.note)),
        ],
      });
    case 'comment':
      return adminPage(view, t, { title: t('case.admin.comment.title'), paragraphs: [t('case.admin.comment.text', { name: nameOf(message.by), id }), message.text] });
    case 'withMicrosoft':
      return adminPage(view, t, {
        title: t('case.admin.withMicrosoft.title'),
        paragraphs: [t('case.admin.withMicrosoft.text', { name: nameOf(message.by), id })],
        facts: [{ label: t('case.facts.serviceRequest'), value: message.serviceRequest }],
      });
    case 'ticket':
      return adminPage(view, t, {
        title: t('case.admin.ticket.title'),
        paragraphs: [t('case.admin.ticket.text', { id })],
        facts: [{ label: t('case.facts.ticket'), value: message.ticketId }],
      });
    case 'taken':
    case 'reopened':
      return adminPage(view, t, { title: t(`case.admin.${message.kind}.title`), paragraphs: [t(`case.admin.${message.kind}.text`, { name: nameOf(message.by), id })] });
    case 'closed':
      return adminPage(view, t, { title: t('case.admin.closed.title'), paragraphs: [t('case.admin.closed.text', { id })] });
  }
}

/** A reply in the case's thread in the help-desk channel, naming who said it. */
export function renderChannelNote(note: ChannelNote, _view: CaseView, language: Language): string {
  const t = translatorFor(language);
  const name = nameOf(note.by);
  return note.what === 'fixed' ? t('case.note.fixed', { name }) : t(`case.note.${note.what}`, { name, text: note.text });
}

/** The admin's "status": each of their cases, newest first, with who has it and its numbers. */
export function renderCaseList(views: CaseView[], language: Language): AdaptiveCard {
  const t = translatorFor(language);
  const newest = [...views].sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt));
  const shown = newest.slice(0, LISTED);
  const paragraphs =
    views.length === 0
      ? [t('case.list.none', { escalate: t('buttons.escalate') })]
      : views.length > LISTED
        ? [t('case.list.newest', { shown: LISTED, count: views.length })]
        : [];
  return drawPage({
    ...EMPTY,
    title: t('case.list.title'),
    caseLine: null,
    notice: null,
    paragraphs,
    sections: shown.map((view) =>
      textSection(title(view, t), [
        ...[caseLine(view.record.details, t)].filter((line): line is string => line !== null),
        ...standing(view, t).map((f) => `${f.label}: ${f.value}`),
      ]),
    ),
    more: [],
  });
}

function adminNoticeText(notice: AdminCaseNotice, t: Translate): string {
  switch (notice.kind) {
    case 'relayed':
      return notice.to ? t('case.adminNotice.relayedTo', { name: nameOf(notice.to) }) : t('case.adminNotice.relayed');
    case 'missing':
    case 'tooLong':
      return refusalText(notice, t);
    case 'notYours':
      return t('case.adminNotice.notYours', { name: nameOf(notice.requester) });
    default:
      return t(`case.adminNotice.${notice.kind}`);
  }
}

function helpdeskNoticeText(notice: HelpdeskNotice, t: Translate): string {
  switch (notice.kind) {
    case 'relayed':
      return t('case.notice.relayed', { name: nameOf(notice.to) });
    case 'missing':
    case 'tooLong':
      return refusalText(notice, t);
    default:
      return t(`case.notice.${notice.kind}`);
  }
}

/** The answer to a help-desk member when there is no case card to show: in a case's thread, or a refused click. */
export function renderHelpdeskNotice(notice: HelpdeskNotice, language: Language): AdaptiveCard {
  const t = translatorFor(language);
  const text = helpdeskNoticeText(notice, t);
  const parts = notice.kind === 'relayed' ? { paragraphs: [text] } : { notice: text };
  return drawPage({ ...EMPTY, title: t('case.helpdeskTitle'), caseLine: null, notice: null, ...parts, more: [] });
}

/** The answer to the admin's own click or typing about a case. */
export function renderAdminNotice(notice: AdminCaseNotice, view: CaseView | undefined, language: Language): AdaptiveCard {
  const t = translatorFor(language);
  const text = adminNoticeText(notice, t);
  // A refusal stands out; a confirmation reads as plain text.
  const refused = notice.kind !== 'relayed' && notice.kind !== 'thanksFixed' && notice.kind !== 'reopened';
  const parts = refused ? { notice: text } : { paragraphs: [text] };
  if (view) return adminPage(view, t, { title: title(view, t), ...parts });
  return drawPage({ ...EMPTY, title: t('case.list.title'), caseLine: null, notice: null, ...parts, more: [] });
}
