// What mail clients and servers say, in English and Japanese: Outlook's Send/Receive errors and account
// test, Thunderbird, iOS Mail, and raw POP3/IMAP4 replies (telnet or a protocol log). Each pattern is one
// failure mode, worded the ways the clients word it; the first that matches wins, so the narrow ones
// (a socket error that names a timeout) stand before the broad ones ("0x800CCC0E").
import type { CaseDetails, CheckpointId } from '../flow/types';

export interface ClientReading {
  finding: string;
  checkpoint: CheckpointId | null;
}

// A refused sign-in: Exchange's POP3 and IMAP4 replies ("-ERR Authentication failure: unknown user name or
// bad password.", "NO AUTHENTICATE failed.", exchange.md §9), Outlook's 0x800CCC92 ("rejected your login" /
// 「ログオンが拒否されました」), Thunderbird ("Login to server … failed", "Sending of password … did not
// succeed" / 「…にログインできませんでした」), iOS Mail ("The user name or password for … is incorrect" /
// 「…のユーザ名またはパスワードが間違っています」).
// Source: https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth
const LOGON_REFUSED = new RegExp(
  [
    'Logon failure',
    'LOGIN failed',
    'AUTHENTICATE failed',
    'Authentication failure',
    'bad password',
    'rejected your login',
    'Login to server .* failed',
    'Sending of password for user .* did not succeed',
    'user name or password\\b.*\\bincorrect',
    'ログオンが拒否',
    'ログオンできません',
    'ログインできません',
    'ログインに失敗',
    'ユーザー?名またはパスワードが(?:間違|正しくありません)',
  ].join('|'),
  'i',
);

// Nothing listening, or a firewall rejecting: socket error 10061, Outlook's 0x800CCC0E ("Cannot connect to
// the server" / 「サーバーへの接続に失敗しました」) and 0x80042108 (「受信 (POP3) 電子メール サーバーに接続できません」),
// Thunderbird and iOS Mail ("Failed to connect to server", "The connection to the server failed"), telnet
// ("Could not open connection to the host" / 「ホストへの接続を開けませんでした」), .NET ("actively refused").
const REFUSED = new RegExp(
  [
    '10061',
    '0x800CCC0E',
    'actively refused',
    'connection refused',
    'ECONNREFUSED',
    'TCP connect to .* failed',
    'Cannot connect to the server',
    'Failed to connect to server',
    'connection to the server failed',
    'Could not open connection to the host',
    '0x80042108',
    'unable to connect to your incoming',
    '接続に失敗',
    '接続を開けませんでした',
    'サーバーに接続できません',
  ].join('|'),
  'i',
);

// No answer at all: socket error 10060 ("did not properly respond after a period of time"), Outlook's
// 0x8004210A and 0x800CCC19, Thunderbird's "Connection to server … timed out", iOS Mail's "The mail server …
// is not responding" / 「…が応答しません」, Japanese 「タイムアウト」.
const TIMED_OUT = /10060|0x8004210A|0x800CCC19|timed out|did not properly respond|is not responding|タイムアウト|応答しません/i;

// The client asked for an encryption the server does not offer on that port (Outlook's "Your server does
// not support the connection encryption type you have specified" /
// 「…指定した接続の暗号化の種類をサポートしていません」).
const ENCRYPTION_NOT_SUPPORTED = /does not support the connection encryption type|暗号化の種類をサポートしていません/i;

// The connection opened and was then closed: Outlook's 0x800CCC0F ("The connection to the server was
// interrupted" / 「サーバーへの接続が中断されました」).
const DROPPED = /0x800CCC0F|connection to the server was interrupted|接続が中断/i;

// The name does not resolve: Outlook's 0x800CCC0D ("Cannot locate the server"), socket errors 11001/11004.
const HOST_NOT_FOUND = /0x800CCC0D|Cannot locate the server|(?:Socket Error|ソケット エラー):\s*1100[14]|No such host is known|サーバーが見つかりません/i;

// The client refused the server's certificate: Outlook's security alert ("…using a security certificate that
// cannot be verified" / 「…確認できないセキュリティ証明書…」), Thunderbird's security exception ("The certificate is
// not trusted…"), iOS Mail's "Cannot Verify Server Identity" / 「サーバの識別情報を検証できません」, .NET and
// Schannel codes. The bare word is not enough: "I renewed the certificate" is the admin talking, not a client.
const CERTIFICATE = new RegExp(
  [
    'security certificate',
    'certificate (?:is|has) (?:expired|not (?:yet )?valid|not trusted|invalid|self-signed)',
    'certificate (?:chain|name)\\b.*\\b(?:invalid|not|untrusted|mismatch)',
    '(?:invalid|untrusted) (?:security )?certificate',
    'remote certificate is invalid',
    'certificate verify failed',
    'CERT_[A-Z_]+',
    'SEC_E_[A-Z_]+',
    'handshake fail',
    'Cannot Verify Server Identity',
    'セキュリティ証明書',
    '証明書の(?:有効期限|名前)',
    '証明書.*(?:信頼|無効)',
    '識別情報を検証できません',
  ].join('|'),
  'i',
);

const CLIENT_ERRORS: Array<[RegExp, string, CheckpointId, CaseDetails['version'][]?]> = [
  [/5\.7\.30|Basic authentication is not supported for Client Submission/i, 'errorSmtpBasicAuthRetired', 'onlineAuth', ['Online']],
  [/User is authenticated but not connected/i, 'errorAuthenticatedNotConnected', 'onlineAuth', ['Online']],
  // Exchange Online has no password logon left: a refused AUTHENTICATE is the OAuth sign-in failing.
  [LOGON_REFUSED, 'errorOnlineSignInFailed', 'onlineAuth', ['Online']],
  [/LOGINDISABLED|Command received in Invalid state|Plaintext authentication disallowed|no recognized SASL authenticator/i, 'errorLoginBeforeTls', 'clientSettings'],
  [HOST_NOT_FOUND, 'errorHostNotFound', 'clientSettings'],
  [TIMED_OUT, 'errorTimeout', 'service'],
  [ENCRYPTION_NOT_SUPPORTED, 'errorEncryptionNotSupported', 'clientSettings'],
  [REFUSED, 'errorConnectionRefused', 'service'],
  // Most often the client's encryption does not match the port (SSL/TLS sent to the plain port), so the
  // server ends the session; the sentence names the back-end service as the other cause.
  [DROPPED, 'errorConnectionDropped', 'clientSettings'],
  [CERTIFICATE, 'errorCertificate', 'serverSettings'],
  [/5\.7\.3|535 /i, 'errorSmtpAuthFailed', 'connector'],
  [LOGON_REFUSED, 'errorLogonFailure', 'mailbox'],
];

// The greeting each service sends, with the banner Exchange ships (exchange.md §2.3).
// Source: https://learn.microsoft.com/powershell/module/exchangepowershell/set-popsettings#-banner
const GREETING = { pop3: /^\+OK\b.*\bready\b/im, imap4: /^\* OK\b.*\bready\b/im } as const;
// A refusal the patterns above do not know ("-ERR Command is not valid in this state.") is not a healthy
// session, whatever greeting came before it.
const OTHER_REFUSAL = /^(?:-ERR\b|\S+ (?:NO|BAD)\b|\* BYE\b)/m;

/** The client error or server reply in `text`, or undefined when it is none the bot knows. */
export function readClientText(text: string, details: CaseDetails): ClientReading | undefined {
  for (const [pattern, finding, checkpoint, onlyFor] of CLIENT_ERRORS) {
    if (!pattern.test(text)) continue;
    if (onlyFor && !onlyFor.includes(details.version)) continue;
    // On Exchange Online the server steps do not exist: refusals and certificates are Microsoft's side.
    if (details.version === 'Online' && (checkpoint === 'service' || checkpoint === 'serverSettings' || checkpoint === 'connector')) {
      return { finding, checkpoint: 'onlineAuth' };
    }
    return { finding, checkpoint };
  }
  // A greeting and nothing else wrong: the service answers on that port.
  if (GREETING[details.protocol].test(text) && !OTHER_REFUSAL.test(text)) return { finding: 'greetingReceived', checkpoint: null };
  return undefined;
}

export interface ClientConnection {
  port?: number;
  /** False only when the client's settings say outright that the connection is not encrypted. */
  encrypted?: false;
}

// "Port: 110" (Outlook), "port 143" (free text), 「ポート: 110」.
const PORT = /(?:\bport\b|ポート)\s*[:：]?\s*(\d{2,5})\b/gi;

// The ways clients and admins write "no encryption": Outlook's "encrypted connection: None" and
// "Secure(SSL): No" (「使用する暗号化接続の種類: なし」「セキュリティ保護 (SSL): なし」), Thunderbird's
// "Connection security: None" (「接続の保護: なし」), iOS Mail's "Use SSL: off", and plain words.
const UNENCRYPTED = new RegExp(
  [
    '(?:encrypt\\w*(?: connection)?|\\(?SSL\\)?|security)\\s*[:：]\\s*(?:none|no|off)\\b',
    '(?:暗号化[^:：\\n]{0,12}|セキュリティ保護 \\(SSL\\)|接続の保護|SSL\\s*を使用)\\s*[:：]\\s*(?:なし|オフ|いいえ)',
    '\\bwithout (?:any )?encryption\\b',
    '\\bno encryption\\b',
    // Whole words: the settings paste's own UnencryptedOrTLSBindings says nothing about the client.
    '\\bunencrypted\\b',
    '\\bnot encrypted\\b',
    '暗号化(?:なし|しない|せず)',
    '\\bno (?:STLS|STARTTLS)\\b',
  ].join('|'),
  'i',
);

/** The port and encryption the client uses, as far as the case's error text or the paste state them. */
export function readClientConnection(text: string): ClientConnection {
  const ports = new Set([...text.matchAll(PORT)].map((m) => Number(m[1])));
  const port = ports.size === 1 ? [...ports][0] : undefined;
  return { ...(port !== undefined ? { port } : {}), ...(UNENCRYPTED.test(text) ? { encrypted: false as const } : {}) };
}
