// What each party sees of an escalated case, in both languages: the help desk's case card offers the buttons
// that fit the case's status, each naming the case and the revision it was drawn for, and says who has it; the
// admin hears each change in their own language and can answer on the card; the thread says who said what; the
// admin's list shows their cases. Every card holds to Adaptive Cards 1.5 and to Teams' message size at its largest.
import Ajv from 'ajv';
import { CASE_STATES, type CaseEvent, type CaseStatus, type Member, QUESTION_LIMIT, SERVICE_REQUEST_LIMIT } from '../../src/casework/machine';
import type { CaseMessage, ChannelNote } from '../../src/casework/messages';
import { caseStatus, newCase, step } from '../../src/casework/step';
import { buildHandoff } from '../../src/escalation/handoff';
import { EXCHANGE_VERSIONS, PROTOCOLS } from '../../src/flow/types';
import { LANGUAGES, type Language } from '../../src/i18n';
import {
  type AdminCaseNotice,
  type CaseNotice,
  type CaseView,
  renderAdminMessage,
  renderAdminNotice,
  renderCaseCard,
  renderCaseList,
  renderChannelNote,
} from '../../src/rendering/caseCards';
import type { AdaptiveCard } from '../../src/rendering/page';
import { drawPage } from '../../src/rendering/page';
import { handoffPage } from '../../src/rendering/screens';
import { translatorFor } from '../../src/i18n';
import { CARD_SCHEMA } from '../support/cardSchema';
import { buttons, codeBlocks, inputValue, texts, title } from '../support/cards';
import { HARD_LIMIT, RECOMMENDED, REQUESTER, activitySize, fill, longestContext, longestTicket } from '../support/largest';

type Json = Record<string, any>;

const ADMIN = { id: '29:hanako', name: 'Hanako Admin' };
const TARO = { id: '29:taro', name: 'Taro Helpdesk' };
const AT = '2025-03-01T10:00:00.000Z';
const REV = 7;
const SR = '2503010040001234';
const TICKET = 'INC0012345';
const QUESTION = 'Which certificate is bound to **IMAP4**? Run Get-ImapSettings and paste the output.';
const RESOLUTION = 'Renewed the certificate and restarted the IMAP4 service.';
const REASON = 'Outlook still asks for the password.';

// Each status reached the way the help desk and the admin reach it, through the real case machine.
const TAKE: CaseEvent = { type: 'TAKE', by: TARO, at: AT };
const PATHS: Record<CaseStatus, CaseEvent[]> = {
  open: [{ type: 'TICKET', ticketId: TICKET }],
  taken: [TAKE],
  waitingForAdmin: [TAKE, { type: 'ASK', by: TARO, text: QUESTION, at: AT }],
  withMicrosoft: [TAKE, { type: 'WITH_MICROSOFT', by: TARO, serviceRequest: SR, at: AT }],
  resolved: [TAKE, { type: 'RESOLVE', by: TARO, note: RESOLUTION, at: AT }],
  closed: [
    { type: 'TICKET', ticketId: TICKET },
    TAKE,
    { type: 'RESOLVE', by: TARO, note: 'Restarted the service.', at: AT },
    { type: 'NOT_FIXED', reason: REASON },
    { type: 'RESOLVE', by: TARO, note: RESOLUTION, at: AT },
    { type: 'FIXED' },
  ],
};

function walked(events: CaseEvent[]): Pick<CaseView, 'status' | 'context'> {
  let snapshot = newCase();
  for (const event of events) {
    const moved = step(snapshot, event, ADMIN);
    if (!moved.accepted) throw new Error(`the case machine refused ${event.type}`);
    snapshot = moved.snapshot;
  }
  return { status: caseStatus(snapshot), context: snapshot.context };
}

function record(language: Language, id = 'ESC-20250301-ABCDEF', createdAt = '2025-03-01T09:00:00.000Z') {
  const context = {
    details: { protocol: 'imap4' as const, version: '2016' as const, server: 'EX01', mailbox: 'hanako@contoso.com' },
    detailErrors: [],
    journal: [{ checkpoint: 'service' as const, outcome: 'failed' as const }],
    escalationReason: 'exhausted' as const,
  };
  return buildHandoff(context, { id, createdAt, requester: ADMIN, language, deliveredTo: ['teamsChannel'] });
}

function view(status: CaseStatus, language: Language = 'en'): CaseView {
  const r = record(language);
  return { id: r.id, record: r, rev: REV, ...walked(PATHS[status]) };
}

interface Offered {
  title: string;
  verb: string;
  /** The field a button opens, and the button that sends it, in the same card. */
  field?: string;
  send?: string;
}

function described(action: Json): Offered {
  if (action.type !== 'Action.ShowCard') return { title: action.title, verb: action.verb };
  const input = action.card.body.flatMap((e: Json) => e.items ?? [e]).find((e: Json) => e.type === 'Input.Text');
  const [send] = action.card.actions;
  return { title: action.title, verb: send.verb, field: input.id, send: send.title };
}

/** The card's own buttons, as a member sees them under the case. */
function offered(card: AdaptiveCard): Offered[] {
  return (card.body as Json[]).filter((e) => e.type === 'ActionSet').flatMap((set) => set.actions.map(described));
}

/** The notice at the top of the card and the buttons drawn inside it. */
function notice(card: AdaptiveCard): { text: string; buttons: Offered[] } | undefined {
  const box = (card.body as Json[]).find((e) => e.type === 'Container' && e.style === 'warning');
  if (!box) return undefined;
  return { text: box.items[0].text, buttons: box.items.filter((e: Json) => e.type === 'ActionSet').flatMap((set: Json) => set.actions.map(described)) };
}

function shown(card: AdaptiveCard): string {
  return texts(card).join('\n');
}

const WORDS = {
  en: {
    status: {
      open: 'Not taken yet',
      taken: 'In progress',
      waitingForAdmin: 'Waiting for the admin',
      withMicrosoft: 'With Microsoft support',
      resolved: 'Resolved',
      closed: 'Closed',
    },
    take: { title: 'Take', verb: 'caseTake' },
    ask: { title: 'Ask the admin', verb: 'caseAsk', field: 'question', send: 'Send the question' },
    microsoft: { title: 'With Microsoft', verb: 'caseMicrosoft', field: 'serviceRequest', send: 'Save and tell the admin' },
    resolve: { title: 'Resolved', verb: 'caseResolve', field: 'resolution', send: 'Mark as resolved' },
    reopen: { title: 'Reopen', verb: 'caseReopen' },
    takeOver: { title: 'Take over', verb: 'caseTakeOver' },
    takenBy: 'Taro Helpdesk has this case, and only the owner works on a taken case. To work on it yourself, take it over: the admin will be told.',
    owner: 'Owner',
    nobody: 'Nobody yet',
    reopened: ['Times reopened', '1', 'Why it was reopened', REASON],
    notices: {
      stale: 'This card was out of date, so nothing was changed.',
      notHelpdesk: 'Only members of the registered help-desk channel can work on escalations.',
      unknownCase: 'This escalation is no longer on file',
      missing: 'Fill in "Question for the admin" first, then choose "Send the question". Nothing was changed.',
      tooLong: '"Microsoft service request number" is too long: shorten it to 64 characters or fewer',
      notNow: 'That does not fit the case as it stands ("Resolved"), so nothing was changed.',
    },
    admin: {
      taken: 'Taro Helpdesk at the help desk has taken your case ESC-20250301-ABCDEF.',
      asks: 'Taro Helpdesk at the help desk asks about your case ESC-20250301-ABCDEF:',
      orType: 'You can also type your answer in this chat while this case is the last thing you did with the bot',
      answer: { label: 'Your answer', send: 'Send' },
      withMicrosoft: 'Taro Helpdesk at the help desk has taken your case ESC-20250301-ABCDEF to Microsoft support.',
      srLabel: 'Microsoft service request number',
      resolved: 'Taro Helpdesk at the help desk marked your case ESC-20250301-ABCDEF as resolved:',
      didItFix: 'Did this fix it?',
      yes: 'Yes, it works now',
      no: { title: 'No, it still fails', verb: 'caseNotFixed', field: 'reason', send: 'Send and reopen' },
      reopened: 'Taro Helpdesk at the help desk has reopened your case ESC-20250301-ABCDEF and is working on it again.',
      closed: 'Your case ESC-20250301-ABCDEF is closed. If the problem comes back, start over and escalate again.',
      ticket: "The help desk's ticketing system has recorded your case ESC-20250301-ABCDEF under the ticket number below.",
      comment: "Taro Helpdesk commented on your case ESC-20250301-ABCDEF in the help desk's ticketing system:",
      list: 'My escalations',
    },
    notes: {
      answer: 'Hanako Admin (admin) answered: EX01 has the *.contoso.com certificate.',
      fixed: 'Hanako Admin (admin) confirmed the fix. The case is closed.',
      notFixed: 'Hanako Admin (admin) says it is not fixed: Outlook still asks for the password.',
      comment: 'ServiceNow commented in the ticketing system: Assigned to the messaging team.',
    },
    list: { title: 'Your escalations', none: 'You have no escalations. If the bot\'s steps do not solve a problem, choose "Escalate" on any step', newest: 'The newest 10 of your 12 escalations:' },
    adminNotices: {
      relayedTo: 'Sent to Taro Helpdesk at the help desk.',
      relayed: 'Sent to the help desk.',
      thanksFixed: 'Thank you for confirming. The case is closed.',
      missing: 'Fill in "What still fails" first, then choose "Send and reopen". Nothing was changed.',
      unknownCase: 'Type "status" to see your escalations.',
      notYours: 'Only Hanako Admin can answer for this case, so nothing was changed.',
    },
    inSummary: '(In full in the case summary below.)',
  },
  ja: {
    status: {
      open: '未対応',
      taken: '対応中',
      waitingForAdmin: '管理者の回答待ち',
      withMicrosoft: 'Microsoft サポートに問い合わせ中',
      resolved: '解決済み',
      closed: 'クローズ',
    },
    take: { title: '担当する', verb: 'caseTake' },
    ask: { title: '管理者に質問', verb: 'caseAsk', field: 'question', send: '質問を送信' },
    microsoft: { title: 'Microsoft サポートに問い合わせ', verb: 'caseMicrosoft', field: 'serviceRequest', send: '記録して管理者に通知' },
    resolve: { title: '解決済み', verb: 'caseResolve', field: 'resolution', send: '解決済みにする' },
    reopen: { title: '再オープン', verb: 'caseReopen' },
    takeOver: { title: '担当を引き継ぐ', verb: 'caseTakeOver' },
    takenBy: 'このケースは Taro Helpdesk さんが担当しています。担当者以外は操作できません。ご自身で対応する場合は担当を引き継いでください。管理者にも通知されます。',
    owner: '担当者',
    nobody: '未割り当て',
    reopened: ['再オープン回数', '1 回', '再オープンの理由', REASON],
    notices: {
      stale: 'このカードは最新ではなかったため、何も変更していません。',
      notHelpdesk: 'エスカレーションを操作できるのは、登録済みのヘルプデスクのチャネルのメンバーだけです。',
      unknownCase: 'このエスカレーションの記録が見つからない',
      missing: '「管理者への質問」を入力してから「質問を送信」を選んでください。何も変更していません。',
      tooLong: '「Microsoft サポートのサービス リクエスト番号」が長すぎます。64 文字以内にして',
      notNow: '現在の状態 (「解決済み」) ではその操作はできないため、何も変更していません。',
    },
    admin: {
      taken: 'ヘルプデスクの Taro Helpdesk さんが、ケース ESC-20250301-ABCDEF の担当になりました。',
      asks: 'ヘルプデスクの Taro Helpdesk さんから、ケース ESC-20250301-ABCDEF について質問があります:',
      orType: 'このチャットでボットと最後にやり取りしたのがこのケースであれば、チャットにそのまま回答を入力しても',
      answer: { label: '回答', send: '送信' },
      withMicrosoft: 'ヘルプデスクの Taro Helpdesk さんが、ケース ESC-20250301-ABCDEF を Microsoft サポートに問い合わせました。',
      srLabel: 'Microsoft サポートのサービス リクエスト番号',
      resolved: 'ヘルプデスクの Taro Helpdesk さんが、ケース ESC-20250301-ABCDEF を解決済みにしました:',
      didItFix: 'これで解決しましたか？',
      yes: 'はい、解決しました',
      no: { title: 'いいえ、解決していません', verb: 'caseNotFixed', field: 'reason', send: '送信して再オープン' },
      reopened: 'ヘルプデスクの Taro Helpdesk さんが、ケース ESC-20250301-ABCDEF を再オープンし、対応を再開しました。',
      closed: 'ケース ESC-20250301-ABCDEF はクローズされました。問題が再発した場合は、最初からやり直して、もう一度エスカレーションしてください。',
      ticket: 'ヘルプデスクのチケット管理システムに、ケース ESC-20250301-ABCDEF が下のチケット番号で登録されました。',
      comment: 'ヘルプデスクのチケット管理システムで、Taro Helpdesk さんがケース ESC-20250301-ABCDEF にコメントしました:',
      list: 'エスカレーションの状況',
    },
    notes: {
      answer: 'Hanako Admin さん (管理者) の回答: EX01 has the *.contoso.com certificate.',
      fixed: 'Hanako Admin さん (管理者) が解決を確認しました。ケースはクローズされました。',
      notFixed: 'Hanako Admin さん (管理者) から、まだ解決していないとの連絡です: Outlook still asks for the password.',
      comment: 'ServiceNow さんがチケット管理システムでコメントしました: Assigned to the messaging team.',
    },
    list: { title: 'エスカレーションの状況', none: 'エスカレーションはありません。ボットの手順で問題が解決しない場合は、どのステップでも「エスカレーションする」を選ぶと', newest: '全 12 件のエスカレーションのうち、新しい 10 件です:' },
    adminNotices: {
      relayedTo: 'ヘルプデスクの Taro Helpdesk さんに送信しました。',
      relayed: 'ヘルプデスクに送信しました。',
      thanksFixed: 'ご確認ありがとうございます。ケースはクローズされました。',
      missing: '「解決していない内容」を入力してから「送信して再オープン」を選んでください。何も変更していません。',
      unknownCase: '「状況」と入力すると、エスカレーションの状況を確認できます。',
      notYours: 'このケースに回答できるのは Hanako Admin さんだけです。何も変更していません。',
    },
    inSummary: '(全文は下のケース概要に記載しています)',
  },
} as const;

describe.each(LANGUAGES)("the help desk's case card in %s", (language) => {
  const words = WORDS[language];
  const working = [words.ask, words.microsoft, words.resolve];
  const EXPECTED: Record<CaseStatus, Offered[]> = {
    open: [words.take, ...working],
    taken: working,
    waitingForAdmin: working,
    withMicrosoft: working,
    resolved: [words.reopen],
    closed: [words.reopen],
  };

  it.each(CASE_STATES)('offers what fits a case that is %s, each button naming the case and the revision it was drawn for', (status) => {
    const v = view(status, language);
    const card = renderCaseCard(v, language);
    expect(title(card)).toBe(language === 'en' ? `Escalation ESC-20250301-ABCDEF: ${words.status[status]}` : `エスカレーション ESC-20250301-ABCDEF: ${words.status[status]}`);
    expect(offered(card)).toEqual(EXPECTED[status]);
    expect(buttons(card).length).toBeGreaterThan(0);
    for (const b of buttons(card)) expect({ verb: b.verb, case: b.data.case, rev: b.data.rev }).toEqual({ verb: b.verb, case: v.id, rev: REV });
  });

  it('says who has the case, its numbers, and what was said about it', () => {
    expect(shown(renderCaseCard(view('open', language), language))).toContain(`${words.owner}\n${words.nobody}`);
    const asking = shown(renderCaseCard(view('waitingForAdmin', language), language));
    expect(asking).toContain(`${words.owner}\n${TARO.name}`);
    expect(asking).toContain(QUESTION);
    expect(shown(renderCaseCard(view('withMicrosoft', language), language))).toContain(SR);
    const closed = shown(renderCaseCard(view('closed', language), language));
    expect(closed).toContain(TICKET);
    expect(closed).toContain(RESOLUTION);
    expect(closed).toContain(words.reopened.join('\n'));
  });

  it('tells a second member who has the case, and offers to take it over', () => {
    const v = view('waitingForAdmin', language);
    const card = renderCaseCard(v, language, { kind: 'takenBy', owner: TARO });
    expect(notice(card)).toEqual({ text: words.takenBy, buttons: [words.takeOver] });
    expect(buttons(card).find((b) => b.verb === 'caseTakeOver')!.data).toEqual({ verb: 'caseTakeOver', case: v.id, rev: REV });
    expect(offered(card)).toEqual(working);
    expect(buttons(renderCaseCard(v, language)).map((b) => b.verb)).not.toContain('caseTakeOver');
  });

  it('asks Teams to draw it afresh for every member who sees it', () => {
    const v = view('taken', language);
    expect(renderCaseCard(v, language).refresh).toEqual({ action: { type: 'Action.Execute', verb: 'caseRefresh', data: { verb: 'caseRefresh', case: v.id, rev: REV } } });
  });

  it("holds everything the help-desk card gave: the admin's account, the facts and the English summary", () => {
    const v = view('taken', language);
    const handoff = drawPage(handoffPage(v.record, translatorFor(language)));
    const card = renderCaseCard(v, language);
    expect(codeBlocks(card)).toEqual(codeBlocks(handoff));
    // The escalation number is the card's title.
    const shownOnCard = new Set(texts(card));
    expect(texts(handoff).slice(1).filter((text) => !shownOnCard.has(text))).toEqual([language === 'en' ? 'Escalation' : 'エスカレーション番号', v.id]);
  });

  it.each([
    ['stale', { kind: 'stale' }, 'taken'],
    ['notHelpdesk', { kind: 'notHelpdesk' }, 'taken'],
    ['unknownCase', { kind: 'unknownCase' }, 'taken'],
    ['missing', { kind: 'missing', field: 'question' }, 'taken'],
    ['tooLong', { kind: 'tooLong', field: 'serviceRequest', limit: SERVICE_REQUEST_LIMIT }, 'taken'],
    ['notNow', { kind: 'notNow' }, 'resolved'],
  ] as Array<[keyof typeof words.notices, CaseNotice, CaseStatus]>)('says %s at the top, to the member who clicked', (kind, given, status) => {
    const card = renderCaseCard(view(status, language), language, given);
    expect(notice(card)!.text).toContain(words.notices[kind]);
    expect(notice(card)!.buttons).toEqual([]);
  });
});

describe.each(LANGUAGES)('what the admin hears in %s', (language) => {
  const words = WORDS[language];
  const admin = words.admin;
  const message = (m: Extract<CaseMessage, { to: 'admin' }>, status: CaseStatus = 'taken') => renderAdminMessage(m, view(status, language), language);

  it('names who at the help desk has taken the case', () => {
    expect(shown(message({ to: 'admin', kind: 'taken', by: TARO }))).toContain(admin.taken);
  });

  it("quotes the help desk's question as typed, with an answer box and a Send button on the same card, and says a typed answer works too", () => {
    const card = message({ to: 'admin', kind: 'question', by: TARO, text: QUESTION }, 'waitingForAdmin');
    const said = texts(card);
    expect(said).toContain(admin.asks);
    expect(said).toContain(QUESTION);
    expect(said.find((line) => line.includes(admin.orType))).toBeDefined();
    const body = card.body as Json[];
    const box = body.flatMap((e) => e.items ?? [e]).find((e) => e.type === 'Input.Text');
    expect({ id: box.id, label: box.label, maxLength: box.maxLength }).toEqual({ id: 'answer', label: admin.answer.label, maxLength: QUESTION_LIMIT });
    expect(offered(card)[0]).toEqual({ title: admin.answer.send, verb: 'caseAnswer' });
  });

  it('gives the Microsoft service request number', () => {
    const said = shown(message({ to: 'admin', kind: 'withMicrosoft', by: TARO, serviceRequest: SR }, 'withMicrosoft'));
    expect(said).toContain(admin.withMicrosoft);
    expect(said).toContain(`${admin.srLabel}\n${SR}`);
  });

  it('gives the resolution and asks whether it fixed it: yes, or no with what still fails', () => {
    const v = view('resolved', language);
    const card = renderAdminMessage({ to: 'admin', kind: 'resolved', by: TARO, note: RESOLUTION }, v, language);
    const said = texts(card);
    expect(said.slice(said.indexOf(admin.resolved))).toEqual(expect.arrayContaining([admin.resolved, RESOLUTION, admin.didItFix]));
    expect(offered(card)).toEqual([{ title: admin.yes, verb: 'caseFixed' }, admin.no, { title: admin.list, verb: 'caseList' }]);
    for (const b of buttons(card)) expect({ verb: b.verb, case: b.data.case, rev: b.data.rev }).toEqual({ verb: b.verb, case: v.id, rev: REV });
  });

  it('says when the case is reopened, closed, given a ticket number or commented on', () => {
    expect(shown(message({ to: 'admin', kind: 'reopened', by: TARO }))).toContain(admin.reopened);
    expect(shown(message({ to: 'admin', kind: 'closed' }, 'closed'))).toContain(admin.closed);
    const ticket = shown(message({ to: 'admin', kind: 'ticket', ticketId: TICKET }, 'open'));
    expect(ticket).toContain(admin.ticket);
    expect(ticket).toContain(TICKET);
    const comment = texts(message({ to: 'admin', kind: 'comment', by: TARO, text: 'Call me at 10:00.' }));
    expect(comment).toEqual(expect.arrayContaining([admin.comment, 'Call me at 10:00.']));
  });

  it('answers their own clicks and typing, saying what to do next', () => {
    const v = view('waitingForAdmin', language);
    const notices = words.adminNotices;
    const say = (n: AdminCaseNotice, on: CaseView | undefined = v) => shown(renderAdminNotice(n, on, language));
    expect(say({ kind: 'relayed', to: TARO })).toContain(notices.relayedTo);
    expect(say({ kind: 'relayed' })).toContain(notices.relayed);
    expect(say({ kind: 'thanksFixed' }, view('closed', language))).toContain(notices.thanksFixed);
    expect(say({ kind: 'missing', field: 'reason' }, view('resolved', language))).toContain(notices.missing);
    expect(say({ kind: 'unknownCase' }, undefined)).toContain(notices.unknownCase);
    expect(say({ kind: 'notNow' })).toContain(notices.unknownCase);
    expect(say({ kind: 'notYours', requester: ADMIN })).toContain(notices.notYours);
  });
});

describe.each(LANGUAGES)('the case thread in %s', (language) => {
  const notes = WORDS[language].notes;
  const v = view('waitingForAdmin', language);
  const ticketing: Member = { id: 'servicenow', name: 'ServiceNow' };

  it.each([
    ['answer', { what: 'answer', by: ADMIN, text: 'EX01 has the *.contoso.com certificate.' }],
    ['fixed', { what: 'fixed', by: ADMIN }],
    ['notFixed', { what: 'notFixed', by: ADMIN, text: REASON }],
    ['comment', { what: 'comment', by: ticketing, text: 'Assigned to the messaging team.' }],
  ] as Array<[keyof typeof notes, ChannelNote]>)('says who said it: %s', (what, note) => {
    expect(renderChannelNote(note, v, language)).toBe(notes[what]);
  });
});

describe.each(LANGUAGES)("the admin's list of cases in %s", (language) => {
  const words = WORDS[language];
  const dated = (day: number, status: CaseStatus): CaseView => {
    const r = record(language, `ESC-202503${String(day).padStart(2, '0')}-ABCDEF`, `2025-03-${String(day).padStart(2, '0')}T09:00:00.000Z`);
    return { id: r.id, record: r, rev: 1, ...walked(PATHS[status]) };
  };

  it('shows each case newest first, with its status, who has it and its numbers', () => {
    const card = renderCaseList([dated(2, 'withMicrosoft'), dated(9, 'open'), dated(5, 'closed')], language);
    expect(title(card)).toBe(words.list.title);
    const headings = texts(card).filter((text) => text.includes('ESC-'));
    expect(headings).toEqual([9, 5, 2].map((day) => expect.stringContaining(`ESC-202503${String(day).padStart(2, '0')}-ABCDEF`)));
    expect(headings.map((h) => h.split(': ').at(-1))).toEqual([words.status.open, words.status.closed, words.status.withMicrosoft]);
    const said = shown(card);
    expect(said).toContain(`${words.owner}: ${words.nobody}`);
    expect(said).toContain(`${words.owner}: ${TARO.name}`);
    expect(said).toContain(SR);
    expect(said).toContain(TICKET);
  });

  it('tells an admin with no cases how to escalate', () => {
    expect(shown(renderCaseList([], language))).toContain(words.list.none);
  });

  it('shows the newest ten and says how many there are', () => {
    const card = renderCaseList(Array.from({ length: 12 }, (_, i) => dated(i + 1, 'taken')), language);
    expect(shown(card)).toContain(words.list.newest);
    expect(texts(card).filter((text) => text.includes('ESC-'))[0]).toContain('ESC-20250312-ABCDEF');
    expect(texts(card).filter((text) => text.includes('ESC-'))).toHaveLength(10);
  });
});

// Every field at its longest, each status reached through the machine: the most a case card carries.
const OWNER = { id: fill('29:2', 512), name: REQUESTER.name };
const LONG = fill('Is "EX01\\Default" still bound to **IMAP4**? ', QUESTION_LIMIT);
const REOPENED_PATH: CaseEvent[] = [
  { type: 'TICKET', ticketId: fill('INC-', SERVICE_REQUEST_LIMIT) },
  { type: 'TAKE', by: OWNER, at: AT },
  { type: 'WITH_MICROSOFT', by: OWNER, serviceRequest: fill('7', SERVICE_REQUEST_LIMIT), at: AT },
  { type: 'RESOLVE', by: OWNER, note: LONG, at: AT },
  { type: 'NOT_FIXED', reason: LONG },
];
const LONGEST_PATHS: Record<CaseStatus, CaseEvent[]> = {
  open: REOPENED_PATH.slice(0, 1),
  taken: REOPENED_PATH,
  waitingForAdmin: [...REOPENED_PATH, { type: 'ASK', by: OWNER, text: LONG, at: AT }],
  withMicrosoft: [...REOPENED_PATH, { type: 'WITH_MICROSOFT', by: OWNER, serviceRequest: fill('8', SERVICE_REQUEST_LIMIT), at: AT }],
  resolved: [...REOPENED_PATH, { type: 'RESOLVE', by: OWNER, note: LONG, at: AT }],
  closed: [...REOPENED_PATH, { type: 'RESOLVE', by: OWNER, note: LONG, at: AT }, { type: 'FIXED' }],
};
const NOTICES: Array<CaseNotice | undefined> = [
  undefined,
  { kind: 'takenBy', owner: OWNER },
  { kind: 'stale' },
  { kind: 'notHelpdesk' },
  { kind: 'unknownCase' },
  { kind: 'missing', field: 'serviceRequest' },
  { kind: 'tooLong', field: 'serviceRequest', limit: SERVICE_REQUEST_LIMIT },
  { kind: 'notNow' },
];

interface Drawn {
  name: string;
  card: AdaptiveCard;
}

function largestCaseCards(language: Language): Drawn[] {
  return PROTOCOLS.flatMap((protocol) =>
    [undefined, ...EXCHANGE_VERSIONS].flatMap((version) => {
      const r = buildHandoff(longestContext(language, protocol, version), longestTicket(language, ['teamsChannel', 'webhook']));
      return CASE_STATES.flatMap((status) =>
        NOTICES.map((n) => ({
          name: `${language} ${protocol} ${version ?? 'no version'} ${status} ${n?.kind ?? 'no notice'}`,
          card: renderCaseCard({ id: r.id, record: r, rev: 99999, ...walked(LONGEST_PATHS[status]) }, language, n),
        })),
      );
    }),
  );
}

/** The admin's messages, notices and list with every value at its longest. */
function largestAdminCards(language: Language): Drawn[] {
  const r = buildHandoff(longestContext(language, 'imap4', '2019'), longestTicket(language, ['teamsChannel', 'webhook']));
  const v: CaseView = { id: r.id, record: r, rev: 99999, ...walked(LONGEST_PATHS.waitingForAdmin) };
  const messages: Array<Extract<CaseMessage, { to: 'admin' }>> = [
    { to: 'admin', kind: 'taken', by: OWNER },
    { to: 'admin', kind: 'question', by: OWNER, text: LONG },
    { to: 'admin', kind: 'withMicrosoft', by: OWNER, serviceRequest: fill('7', SERVICE_REQUEST_LIMIT) },
    { to: 'admin', kind: 'resolved', by: OWNER, note: LONG },
    { to: 'admin', kind: 'reopened', by: OWNER },
    { to: 'admin', kind: 'closed' },
    { to: 'admin', kind: 'ticket', ticketId: fill('INC-', SERVICE_REQUEST_LIMIT) },
    { to: 'admin', kind: 'comment', by: OWNER, text: LONG },
  ];
  const notices: AdminCaseNotice[] = [
    { kind: 'relayed', to: OWNER },
    { kind: 'relayed' },
    { kind: 'thanksFixed' },
    { kind: 'reopened' },
    { kind: 'missing', field: 'answer' },
    { kind: 'missing', field: 'reason' },
    { kind: 'notNow' },
    { kind: 'unknownCase' },
    { kind: 'notYours', requester: REQUESTER },
  ];
  const list = Array.from({ length: 12 }, (_, i) => ({ ...v, id: `${v.id}${i}` }));
  return [
    ...messages.map((m) => ({ name: `${language} admin message ${m.kind}`, card: renderAdminMessage(m, v, language) })),
    ...notices.flatMap((n) => [v, undefined].map((on) => ({ name: `${language} admin notice ${n.kind}${on ? '' : ' without a case'}`, card: renderAdminNotice(n, on, language) }))),
    { name: `${language} list of 12`, card: renderCaseList(list, language) },
    { name: `${language} empty list`, card: renderCaseList([], language) },
  ];
}

// The size the report card keeps to (issue 16): a message that is not the whole case stays as small.
const SMALL = 28 * 1024;

describe('every card of a case', () => {
  const cases = LANGUAGES.flatMap(largestCaseCards);
  const admins = LANGUAGES.flatMap(largestAdminCards);
  const ordinary = LANGUAGES.flatMap((language) =>
    CASE_STATES.flatMap((status) => NOTICES.map((n) => ({ name: `${language} ${status} ${n?.kind}`, card: renderCaseCard(view(status, language), language, n) }))),
  );
  const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(CARD_SCHEMA);
  const schemaErrors = (card: unknown): string[] => (validate(card) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

  it('holds to Adaptive Cards 1.5 and the elements Teams draws', () => {
    const wrong = [...ordinary, ...admins, ...cases.filter((_, i) => i % 7 === 0)].map((c) => ({ name: c.name, errors: schemaErrors(c.card) })).filter((c) => c.errors.length > 0);
    expect(wrong).toEqual([]);
  });

  it('never shows a phrase the locale files lack', () => {
    const missing = [...ordinary, ...admins].flatMap((c) => texts(c.card).filter((text) => /^case\.[\w.]+$/.test(text)).map((text) => `${c.name}: ${text}`));
    expect(missing).toEqual([]);
  });

  it('keeps the case card, every field at its longest, within the 80 KB Teams recommends, and its UTF-8 body within 100 KB', () => {
    const over = cases.map((c) => ({ name: c.name, ...activitySize(c.card) })).filter((s) => s.utf16 > RECOMMENDED || s.utf8 > HARD_LIMIT);
    expect(over).toEqual([]);
  });

  it("keeps the admin's messages, notices and list within 28 KB", () => {
    const over = admins.map((c) => ({ name: c.name, ...activitySize(c.card) })).filter((s) => s.utf16 > SMALL);
    expect(over).toEqual([]);
  });

  it('shows what was typed in full while the card has room, and shortens it only when the record fills the card, saying where it is in full', () => {
    const roomy = renderCaseCard({ ...view('waitingForAdmin'), ...walked(LONGEST_PATHS.waitingForAdmin) }, 'en');
    expect(texts(roomy)).toContain(LONG);
    for (const language of LANGUAGES) {
      const r = buildHandoff(longestContext(language, 'imap4', '2019'), longestTicket(language, []));
      const full = renderCaseCard({ id: r.id, record: r, rev: 1, ...walked(LONGEST_PATHS.waitingForAdmin) }, language);
      const said = texts(full);
      expect(said).not.toContain(LONG);
      expect(said.some((text) => text.endsWith('…') && LONG.startsWith(text.slice(0, -1)))).toBe(true);
      expect(said.filter((text) => text.endsWith(WORDS[language].inSummary)).length).toBeGreaterThan(0);
      expect(codeBlocks(full)).toEqual(codeBlocks(drawPage(handoffPage(r, translatorFor(language)))));
    }
  });

  it('prefills the service request number it already has', () => {
    const card = renderCaseCard(view('withMicrosoft'), 'en');
    expect(inputValue(card, 'serviceRequest')).toBe(SR);
  });
});
