// What an admin types, in English or Japanese, mapped to what they mean. Matching happens on a
// folded form of the text (NFKC, lower case, no spaces), so "ステップ３", "Step 3" and "step3" agree.
import type { Language } from '../i18n';
import type { CheckpointId, StepId } from '../flow/types';

export type Intent =
  | { kind: 'language'; language: Language }
  | { kind: 'startOver' }
  | { kind: 'help' }
  | { kind: 'back' }
  | { kind: 'escalate' }
  | { kind: 'whichFailed' }
  | { kind: 'worksNow' }
  | { kind: 'registerHelpdesk' }
  | { kind: 'checkSettings' }
  | { kind: 'stepNumber'; number: number }
  | { kind: 'checkpoint'; checkpoint: CheckpointId }
  | { kind: 'unknown' };

// Longest texts we try to understand: anything longer is a paste, not a command.
const MAX_COMMAND_LENGTH = 80;

// Anchored at the start of the run, so a long run of punctuation not at the end costs one pass, not a
// pass per character (an unanchored `[...]+$` took 18 s on 120,000 dots).
const TRAILING_PUNCTUATION = /(?<![。．.!！?？、,])[。．.!！?？、,]+$/u;

export function fold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u3000]+/g, '')
    .replace(TRAILING_PUNCTUATION, '');
}

const exact: Array<[RegExp, Intent]> = [
  [/^(registerhelpdesk|registerthehelpdesk|ヘルプデスクとして登録|ヘルプデスクに登録|ヘルプデスク登録)$/u, { kind: 'registerHelpdesk' }],
  [/^(english|英語|えいご|en)$/u, { kind: 'language', language: 'en' }],
  [/^(日本語|にほんご|japanese|ja)$/u, { kind: 'language', language: 'ja' }],
  [/^(startover|restart|reset|やり直し|やりなおし|最初から|はじめから|リセット)$/u, { kind: 'startOver' }],
  [/^(help|\?|ヘルプ|使い方|つかいかた|助けて)$/u, { kind: 'help' }],
  [/^(back|goback|previous|戻る|もどる|前へ|戻って)$/u, { kind: 'back' }],
  [
    /^(escalate|escalation|helpdesk|contactsupport|support|エスカレーション|エスカレート|ヘルプデスク|サポートに連絡|サポート)$/u,
    { kind: 'escalate' },
  ],
  [/^(check|checkmysettings|checksettings|チェック|設定をチェック|設定チェック|設定を確認)$/u, { kind: 'checkSettings' }],
  [/^(whichstepfailed|whichstep|どのステップ|どのステップが失敗|失敗したステップ)$/u, { kind: 'whichFailed' }],
  [/^(itworks|worksnow|works|fixed|solved|resolved|動いた|直った|解決|解決した|解決しました|動きました)$/u, { kind: 'worksNow' }],
];

const checkpointWords: Array<[RegExp, CheckpointId]> = [
  [/^(client|clientsettings|mailclient|クライアント|クライアント設定|メールクライアント)$/u, 'clientSettings'],
  [/^(service|services|pop3service|imap4service|サービス)$/u, 'service'],
  [/^(serversettings|settings|authentication|logintype|certificate|bindings|サーバー設定|サーバ設定|認証|証明書|連結)$/u, 'serverSettings'],
  [/^(mailbox|メールボックス)$/u, 'mailbox'],
  [/^(connector|receiveconnector|コネクタ|受信コネクタ|コネクター|受信コネクター)$/u, 'connector'],
  [/^(oauth|modernauth|onlineauth|モダン認証|先進認証)$/u, 'onlineAuth'],
];

const STEP_NUMBER = /^(?:step|ステップ|手順|すてっぷ)(\d)$/u;

export function parseIntent(text: string): Intent {
  const folded = fold(text);
  if (folded.length === 0 || folded.length > MAX_COMMAND_LENGTH) return { kind: 'unknown' };
  for (const [pattern, intent] of exact) if (pattern.test(folded)) return intent;
  const number = STEP_NUMBER.exec(folded);
  if (number) return { kind: 'stepNumber', number: Number(number[1]) };
  for (const [pattern, checkpoint] of checkpointWords) if (pattern.test(folded)) return { kind: 'checkpoint', checkpoint };
  return { kind: 'unknown' };
}

/** "Step 3" means the third step of the version's own list (Exchange Online has only two). */
export function stepByNumber(steps: readonly StepId[], number: number): StepId | undefined {
  return number >= 1 ? steps[number - 1] : undefined;
}
