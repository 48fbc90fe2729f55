import { BadInputError } from '../errors/problems';
import { COMMON_PASSWORDS_TEXT } from './common-passwords';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

/** What a password is checked against besides itself. */
export interface PasswordContext {
  email?: string | null;
  orgName?: string | null;
}

export type PasswordRule =
  'too_short' | 'too_long' | 'common' | 'trivial' | 'contains_email' | 'contains_org_name';

export interface PasswordProblem {
  rule: PasswordRule;
  message: string;
}

let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  common ??= new Set(COMMON_PASSWORDS_TEXT.split('\n'));
  return common;
}

/** Lower case, letters and digits only: "Lovelace Bakery Ltd" and "lovelace-bakery" compare alike. */
function letters(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

const SEQUENCES = [
  '01234567890123456789',
  'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz',
  'qwertyuiopasdfghjklzxcvbnm',
  'qwertzuiopasdfghjklyxcvbnm',
  'azertyuiopqsdfghjklmwxcvbn',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
];

/** Few distinct characters (`aaaaaaaaaa`, `abababab12`), or a run along the alphabet, the digits or a keyboard row. */
function isTrivial(password: string): boolean {
  const p = password.toLowerCase();
  if (new Set(p).size < 5) return true;
  const compact = letters(p);
  if (compact.length >= 6) {
    const reversed = [...compact].reverse().join('');
    if (SEQUENCES.some((s) => s.includes(compact) || s.includes(reversed))) return true;
  }
  return false;
}

/** The common-password list, also with trailing digits and symbols removed (`iloveyou2024!` is `iloveyou`). */
function isCommon(password: string): boolean {
  const p = password.toLowerCase();
  const list = commonPasswords();
  if (list.has(p) || list.has(p.replace(/\s+/g, ''))) return true;
  const stem = p.replace(/[^\p{L}]+$/u, '');
  return stem.length >= 4 && stem !== p && list.has(stem);
}

/**
 * Every rule a password breaks (empty: acceptable). Rules: 10–200 characters; not in the 10,000 most
 * common passwords; not a trivial pattern; does not contain the e-mail address or its local part
 * (from 3 characters); does not contain the organisation's name (from 4 letters or digits).
 */
export function passwordProblems(password: string, context: PasswordContext = {}): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) {
    problems.push({ rule: 'too_short', message: `must be at least ${PASSWORD_MIN_LENGTH} characters long` });
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    problems.push({ rule: 'too_long', message: `must be at most ${PASSWORD_MAX_LENGTH} characters long` });
    return problems;
  }
  if (isCommon(password))
    problems.push({ rule: 'common', message: 'is one of the most common passwords; choose another' });
  else if (isTrivial(password)) {
    problems.push({
      rule: 'trivial',
      message: 'is a trivial pattern (repeated characters or a run such as 1234567890); choose another',
    });
  }
  const lower = password.toLowerCase();
  const compact = letters(password);
  const email = context.email?.trim().toLowerCase();
  if (email) {
    const local = email.split('@')[0] ?? '';
    const localCompact = letters(local);
    if (
      lower.includes(email) ||
      (local.length >= 3 && lower.includes(local)) ||
      (localCompact.length >= 3 && compact.includes(localCompact))
    ) {
      problems.push({
        rule: 'contains_email',
        message: 'must not contain your e-mail address or its part before the @',
      });
    }
  }
  const org = context.orgName ? letters(context.orgName) : '';
  if (org.length >= 4 && compact.includes(org)) {
    problems.push({ rule: 'contains_org_name', message: "must not contain the organisation's name" });
  }
  return problems;
}

/**
 * Throws a 400 problem (code `bad_input`, `errors[].field` = `password`, `rules` naming each rule broken) when
 * the password breaks the policy. For sign-up, password change and password reset.
 */
export function checkPassword(password: string, context: PasswordContext = {}): void {
  const problems = passwordProblems(password, context);
  if (!problems.length) return;
  throw new BadInputError(
    `The password is not acceptable: it ${problems.map((p) => p.message).join('; it ')}.`,
    problems.map((p) => ({ field: 'password', message: p.message })),
    { rules: problems.map((p) => p.rule) },
  );
}
