// The words an admin reads, held to the review of the Japanese and English text (issue 13): Microsoft's own
// Japanese UI names, business Japanese, and one spelling of English. Each rule says what to write instead.
// A file is listed once its text follows the rules; locales/*/content.json joins the lists the same way.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

const JAPANESE_FILES = ['locales/ja/bot.json', 'manifest/ja.json', 'locales/ja/content.json'];
const ENGLISH_FILES = ['locales/en/bot.json', 'manifest/manifest.json', 'locales/en/content.json'];

interface Rule {
  /** What the rule asks for, as the reviewer put it. */
  rule: string;
  /** Every match is a place that breaks the rule. */
  pattern: RegExp;
  /** A match is allowed when the text before it ends like this. */
  allowedAfter?: RegExp;
}

// The well-known POP3, IMAP4 and SMTP ports, and the placeholders the bot fills with them.
const PORT = /(?<![\w.-])(?:25|110|143|465|587|993|995|\{\{(?:plainPort|sslPort)\}\})(?![\w.-])/g;

const JAPANESE_RULES: Rule[] = [
  { rule: 'Microsoft, never マイクロソフト', pattern: /マイクロソフト/g },
  { rule: 'a full-width ？ and ！ in Japanese sentences', pattern: /(?<=[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}ー])[?!]/gu },
  { rule: '解決した / 対処方法, not 直った / 直し方', pattern: /直[っら]|直し方/g },
  { rule: '接続できない, not つながらない', pattern: /(?:つな|繋)が(?:らない|らず)/g },
  { rule: '必要な権限がある / ない', pattern: /(?<!必要な)権限[がは](?:ある|ない)(?!こと)/g },
  { rule: '先進認証 (OAuth 2.0), not a bare OAuth', pattern: /(?<!先進認証 \()OAuth(?! 2\.0\))/g },
  { rule: 'ポート 110, not a bare 110', pattern: PORT, allowedAfter: /(?:ポート |:|ポート \S+\/)$/ },
  { rule: 'Exchange Server SE, as Microsoft names the Subscription Edition', pattern: /Subscription Edition/g },
  // Exchange 管理コンソール (2007/2010) as Microsoft's Japanese documentation names it, e.g. "IMAP4 のプロパティの表示または構成"
  // (technet.microsoft.com/ja-jp/library/bb691401(v=exchg.141)): [サーバーの構成] > [クライアント アクセス], 操作ウィンドウ.
  { rule: '[サーバーの構成] and [受信者の構成], the console tree nodes', pattern: /\[(?:サーバー|受信者)設定\]/g },
  { rule: 'クライアント アクセス, ハブ トランスポート, サーバー マネージャー, with the space', pattern: /クライアントアクセス|ハブトランスポート|サーバーマネージャー/g },
  { rule: '操作ウィンドウ, not [アクション]', pattern: /\[アクション\]/g },
];

const ENGLISH_RULES: Rule[] = [
  { rule: "US spelling, as Microsoft's English UI: organization, recognize", pattern: /\b(?:organis|recognis|authoris|customis)\w*/gi },
  { rule: 'a plain sentence, not "What did it:"', pattern: /What did it:/g },
  { rule: 'set the certificate name, not "name it"', pattern: /\bname it\b/g },
  { rule: 'port 110, not a bare 110', pattern: PORT, allowedAfter: /(?:\bports? |:|\bports? \S+\/)$/i },
];

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** The rule each place in the text breaks, one entry per place. */
function broken(text: string, rules: Rule[]): string[] {
  return rules.flatMap(({ rule, pattern, allowedAfter }) =>
    [...text.matchAll(pattern)].filter((m) => !allowedAfter?.test(text.slice(0, m.index))).map(() => rule),
  );
}

function breaches(file: string, rules: Rule[]): Array<{ text: string; rules: string[] }> {
  return strings(JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')))
    .map((text) => ({ text, rules: broken(text, rules) }))
    .filter(({ rules: found }) => found.length > 0);
}

describe('the Japanese text', () => {
  it.each(JAPANESE_FILES)('%s follows the review', (file) => {
    expect(breaches(file, JAPANESE_RULES)).toEqual([]);
  });

  it('the rules catch what the review found', () => {
    for (const bad of ['マイクロソフト サポート', '失敗しましたか?', '直った', '直し方を見る', 'まだつながらない', '権限はある', 'OAuth を使う', '110 で接続', '{{plainPort}} では', '[サーバー設定]', 'ハブトランスポート', '右側の [アクション] で']) {
      expect({ bad, caught: broken(bad, JAPANESE_RULES).length }).toEqual({ bad, caught: 1 });
    }
    for (const good of ['Microsoft サポート', '失敗しましたか？', '解決した', 'ポート 110 で接続', 'ポート {{plainPort}} では', 'ポート 995/993', 'EX01:995', '先進認証 (OAuth 2.0)', '必要な権限がある', '[サーバーの構成] > [クライアント アクセス]']) {
      expect({ good, caught: broken(good, JAPANESE_RULES).length }).toEqual({ good, caught: 0 });
    }
  });
});

describe('the English text', () => {
  it.each(ENGLISH_FILES)('%s follows the review', (file) => {
    expect(breaches(file, ENGLISH_RULES)).toEqual([]);
  });

  it('the rules catch what the review found', () => {
    for (const bad of ['another organisation', 'not one I recognise', 'What did it: Server settings.', 'Assign a valid certificate, name it, and restart.', 'a client on 143', 'allowed on {{plainPort}}']) {
      expect({ bad, caught: broken(bad, ENGLISH_RULES).length }).toEqual({ bad, caught: 1 });
    }
    for (const good of ['another organization', 'a client on port 143', 'Port 587 must be open', '(port 995/993)', 'EX01:995', 'Exchange 2019 CU14']) {
      expect({ good, caught: broken(good, ENGLISH_RULES).length }).toEqual({ good, caught: 0 });
    }
  });
});

// What each step is called, in Japanese: the same on its own screen and wherever else it is named (the
// step list, "check my settings", the summary), with the case's protocol (POP3/IMAP4 only when none is known).
const STEP_NAMES: Record<string, string> = {
  clientSettings: 'メール クライアントの設定',
  service: '{{protocol}} サービス',
  serverSettings: '{{protocol}} のサーバー設定',
  mailbox: 'メールボックスの {{protocol}} 設定',
  connector: '送信用の受信コネクタ',
  onlineAuth: 'Exchange Online の {{protocol}} 認証',
};

// Where a step's own screen takes its title, for each file that holds titles.
const TITLE_KEYS: Record<string, Record<string, string>> = {
  'locales/ja/content.json': {
    clientSettings: 'clientSettings.title',
    service: 'step.service.title',
    serverSettings: 'step.serverSettings.title',
    mailbox: 'step.mailbox.title',
    connector: 'step.connector.title',
    onlineAuth: 'step.onlineAuth.title',
  },
};

function lookUp(file: string, key: string): unknown {
  return key.split('.').reduce<any>((node, part) => node?.[part], JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')));
}

describe('the name of each step in Japanese', () => {
  it.each(Object.entries(STEP_NAMES))('%s is named the same wherever the step is named', (step, name) => {
    expect(lookUp('locales/ja/bot.json', `checkpoint.${step}`)).toBe(name);
    for (const file of JAPANESE_FILES.filter((f) => f in TITLE_KEYS)) expect({ file, title: lookUp(file, TITLE_KEYS[file]![step]!) }).toEqual({ file, title: name });
  });
});
