// After the bare word "password" (or PIN, パスワード) comes either the secret or more of a sentence:
// "password Kq7-Zebra" is a secret, "password expired", "password policy" and "password for taro" are not.
// What follows is masked unless it is a word of the ordinary English prose of error messages, dialogs and
// admins' notes listed here, or Japanese (a password is typed in ASCII, or full-width ASCII, which is folded).

const WORDS = `
a an the and or but nor to for of on in at by with from as into onto via per about after before again also
is was are were be been being am has have had having do does did done can cannot could will would shall should
may might must not no yes isn't wasn't aren't doesn't don't didn't won't can't couldn't wouldn't shouldn't
it its this that these those there here which who whom whose what when where why how i me my you your we us
our he him his she her they them their one ones all any each every some none other another
still yet now then too very so if than please once ever never always only just already
incorrect correct invalid valid wrong bad good expired expires expire expiring expiry expiration required
require requires optional missing empty blank disabled enabled locked unlocked unknown needed need needs accepted
rejected refused denied changed change changes changing reset resets set sets weak strong same different
new old current previous temporary policy policies complexity history length age minimum maximum prompt prompts
prompted field fields box dialog window page screen manager hash hashes sync synced synchronization writeback
spray protected protection rule rules requirement requirements setting settings authentication auth login logon
logins sign sign-in signin signon entry entered enter entering typed type saved save remember remembered stored
store cache cached mismatch mismatched match matches failed fails fail failure error errors attempt attempts
retry tries tried try problem problems issue issues update updated updates lockout recovery recover hint hints
strength code codes characters character letters digits used use using works worked working running
sent send twice later first last next forgotten forgot lost unchanged verification verified
check checked checking message messages form
outlook thunderbird exchange owa ios iphone ipad android gmail windows microsoft azure entra teams powershell
imap imap4 pop pop3 smtp mfa 2fa ad ldap ntlm kerberos oauth basic tls ssl id ok
`;

const PROSE = new Set(WORDS.trim().split(/\s+/));

/** True when a token after the bare word reads as a secret: not a prose word, not an opening of more text. */
export function looksLikeSecret(token: string): boolean {
  return !PROSE.has(token.toLowerCase().replace(/[:;!?)]+$/, ''));
}
