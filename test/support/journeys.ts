// Journeys through the whole flow, built from the graph and played through the real bot as an admin
// plays them: clicking the buttons on the cards the bot returned, or typing.
import { initialTransition, transition } from 'xstate';
import { FINAL_STATES, type FlowEvent, type FlowStateName, troubleshootingMachine } from '../../src/flow/machine';
import { stepsFor } from '../../src/flow/types';
import type { Language } from '../../src/i18n';
import { renderState } from '../../src/rendering/screens';
import type { FlowSnapshot } from '../../src/conversation/record';
import type { TeamsUser } from './bot';
import { type Card, findButton, title } from './cards';
import { shortestPaths, shortestWayOut } from './flowModel';

const VERB_FOR: Partial<Record<FlowEvent['type'], string>> = {
  WORKS_NOW: 'worksNow',
  STILL_FAILING: 'stillFailing',
  THIS_FAILED: 'thisFailed',
  HAVE_ACCESS: 'haveAccess',
  NO_ACCESS: 'noAccess',
  NOT_SURE: 'notSure',
  WALK_STEPS: 'walkSteps',
  TRY_ANOTHER: 'tryAnother',
  WHICH_FAILED: 'whichFailed',
  ESCALATE: 'escalate',
  BACK: 'back',
  START_OVER: 'startOver',
  CHECK_SETTINGS: 'checkSettings',
  SHOW_FIX: 'showFix',
};

// Pastes that show what each modelled diagnosis says: the mailbox switch off, or nothing readable.
const PASTE_FOR: Record<string, string> = {
  mailbox: 'Name        : Taro Yamada\nPopEnabled  : False\nImapEnabled : False\nMAPIEnabled : True\n',
  none: 'it was working yesterday',
};

// Typed the way an admin would type them in each language.
const TYPED: Record<Language, { client: string; step: (n: number) => string; worksNow: string }> = {
  en: { client: 'client', step: (n) => `step ${n}`, worksNow: 'it works now' },
  ja: { client: 'クライアント', step: (n) => `ステップ${String.fromCharCode(0xff10 + n)}`, worksNow: '解決しました' },
};

export async function perform(user: TeamsUser, event: FlowEvent, before: FlowSnapshot, language: Language): Promise<Card> {
  switch (event.type) {
    case 'SUBMIT_DETAILS': {
      const inputs = Object.fromEntries(Object.entries(event.fields).map(([k, v]) => [k, String(v ?? '')]));
      return user.click('details', { next: event.next }, inputs);
    }
    case 'PICK':
      return user.click('pick', { checkpoint: event.checkpoint });
    case 'CHECK_SETTINGS': {
      const cards = await user.say(language === 'en' ? 'check' : 'チェック');
      return cards[cards.length - 1]!;
    }
    case 'DIAGNOSED':
      return user.click('paste', {}, { paste: PASTE_FOR[event.diagnosis.checkpoint ?? 'none']! });
    case 'CONFIRM_ESCALATION':
      return user.click('confirmEscalation', {}, { note: event.note ?? '' });
    // "It works now" closes the case from every screen; where no button offers it, the admin types it.
    case 'WORKS_NOW': {
      if (user.card && findButton(user.card, 'worksNow')) return user.click('worksNow');
      const cards = await user.say(TYPED[language].worksNow);
      return cards[cards.length - 1]!;
    }
    case 'GO_TO': {
      const steps = stepsFor(before.context.details?.version);
      const text =
        event.checkpoint === 'clientSettings' ? TYPED[language].client : TYPED[language].step(steps.indexOf(event.checkpoint as never) + 1);
      const cards = await user.say(text);
      return cards[cards.length - 1]!;
    }
    default:
      return user.click(VERB_FOR[event.type]!);
  }
}

export function expectedTitle(snapshot: FlowSnapshot, language: Language): string | RegExp {
  if (snapshot.value === 'escalated') return language === 'en' ? /^Escalated: ESC-\d{8}-[0-9A-HJKMNP-TV-Z]{6}$/ : /^エスカレーションしました: ESC-\d{8}-[0-9A-HJKMNP-TV-Z]{6}$/;
  return title(renderState({ state: snapshot.value as FlowStateName, context: snapshot.context, rev: 0, language }));
}

export interface Journey {
  name: string;
  events: FlowEvent[];
}

const real = (e: FlowEvent) => !e.type.startsWith('xstate.');

/** For every screen: the shortest way there, then the shortest way on to the end of the case. */
export function journeys(): Journey[] {
  return shortestPaths().map((path) => {
    const there = path.steps.map((s) => s.event).filter(real);
    const onward = FINAL_STATES.includes(path.state.value as FlowStateName) ? [] : shortestWayOut(path.state)!.steps.map((s) => s.event).filter(real);
    return { name: `${there.map((e) => e.type).join(' > ')} || ${onward.map((e) => e.type).join(' > ')}`, events: [...there, ...onward] };
  });
}

/** Plays a journey in a new conversation, checking after each action that the bot shows the screen the flow predicts. */
export async function play(user: TeamsUser, journey: Journey, language: Language, onCard: (card: Card) => void = () => {}): Promise<FlowSnapshot> {
  await user.joins();
  let [snapshot] = initialTransition(troubleshootingMachine);
  onCard(user.card!);
  expect(title(user.card!)).toBe(expectedTitle(snapshot, language));
  for (const event of journey.events) {
    const card = await perform(user, event, snapshot, language);
    [snapshot] = transition(troubleshootingMachine, snapshot, event);
    onCard(card);
    const expected = expectedTitle(snapshot, language);
    if (typeof expected === 'string') expect(title(card)).toBe(expected);
    else expect(title(card)).toMatch(expected);
  }
  return snapshot;
}
