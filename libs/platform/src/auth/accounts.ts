import { UserEntity } from '../entities/platform.entities';
import { AppError, BadInputError } from '../errors/problems';
import { passwordProblems } from './password-policy';

/**
 * An unclaimed account: made by a sign-up with an address that already has an account, so that answer behaves
 * like any new sign-up's (see AuthService.signup). Its stored e-mail is `<address>#unclaimed-<uuid>`: unique, not
 * deliverable, never matched by log-in, reset or invitations (they compare the whole address).
 */
export const UNCLAIMED_MARK = '#unclaimed-';
const UNCLAIMED = /#unclaimed-[0-9a-f-]{36}$/;

export function isUnclaimed(u: { email: string }): boolean {
  return UNCLAIMED.test(u.email);
}

/** The address the user typed (an unclaimed account's without its mark). */
export function addressOf(u: { email: string }): string {
  return u.email.replace(UNCLAIMED, '');
}

/** The address stored for a new account `id`: the address itself, or an unclaimed one when it is `taken`. */
export function storedEmail(email: string, id: string, taken: boolean): string {
  return taken ? `${email}${UNCLAIMED_MARK}${id}` : email;
}

/** How an address is compared and stored: trimmed, lower case. */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export function publicUser(u: UserEntity): {
  id: string;
  email: string;
  name: string;
  isPlatformAdmin: boolean;
  emailVerified: boolean;
} {
  return {
    id: u.id,
    email: addressOf(u),
    name: u.name,
    isPlatformAdmin: u.isPlatformAdmin,
    emailVerified: !!u.emailVerifiedAt,
  };
}

/** 403 `email_unverified`: what needs a proved address (accepting an invitation) before the address is proved. */
export class EmailUnverifiedError extends AppError {
  constructor() {
    super(
      403,
      'email_unverified',
      'Confirm your e-mail address first (the link in the verification e-mail; POST /auth/verify-email/resend sends a new one).',
    );
  }
}

/** The fields a sign-up without an invitation must give (it creates an organisation). */
const SIGNUP_ORGANIZATION_FIELDS = ['organizationName', 'country', 'timezone'] as const;

/**
 * 400 naming the organisation fields a sign-up left out, or null. A sign-up with an invitation joins an
 * existing organisation and needs none of them.
 */
export function signupFieldsError(dto: {
  invitationToken?: string;
  organizationName?: string;
  country?: string;
  timezone?: string;
}): BadInputError | null {
  if (dto.invitationToken) return null;
  const missing = SIGNUP_ORGANIZATION_FIELDS.filter((f) => !dto[f]);
  if (!missing.length) return null;
  return new BadInputError(
    `Sign-up needs ${missing.join(', ')} (or an invitationToken).`,
    missing.map((field) => ({ field, message: 'is required' })),
  );
}

/** 400 listing what a new password (set with a reset token) breaks in the policy, or null when it is acceptable. */
export function resetPasswordError(password: string, email: string): BadInputError | null {
  const problems = passwordProblems(password, { email });
  if (!problems.length) return null;
  return new BadInputError(
    `The password ${problems.map((p) => p.message).join('; ')}.`,
    problems.map((p) => ({ field: 'password', message: p.message })),
  );
}
