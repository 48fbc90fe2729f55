/**
 * Response schemas of the auth routes (AuthController, MeController): what AuthService returns, declared as
 * the handlers' return types so tsc checks the service against the document.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { OrgRole } from '../context/request-context';
import { CERTIFIER_ROLE_SCHEMA, ORG_ROLE_SCHEMA, OrganizationView } from '../orgs/orgs.responses';

/** Log-in, refresh and sign-up answers. */
export class AuthTokens {
  @ApiProperty({ description: 'a short-lived JWT for Authorization: Bearer' }) accessToken: string;
  @ApiPropertyOptional({
    description:
      'Absent when the request carried X-Halve-CSRF (a browser): the refresh token is then only in the HttpOnly halve_refresh cookie.',
  })
  refreshToken?: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ description: "the access token's lifetime, seconds" }) expiresIn: number;
}

export class AuthUser {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty() isPlatformAdmin: boolean;
  @ApiProperty({ description: 'whether the address is confirmed (needed to join others’ organisations)' })
  emailVerified: boolean;
}

/** A sign-up by invitation: the invitation is accepted once the address is verified. */
export class SignupInvitationPending {
  @ApiProperty({ enum: ['awaiting_verification'] }) status: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty(ORG_ROLE_SCHEMA) role: OrgRole;
}

/** POST /auth/signup. */
export class SignupSession extends AuthTokens {
  @ApiProperty({ type: () => AuthUser }) user: AuthUser;
  @ApiProperty({
    type: () => OrganizationView,
    nullable: true,
    description: 'the new organisation; null for a sign-up by invitation',
  })
  organization: OrganizationView | null;
  @ApiProperty({ ...ORG_ROLE_SCHEMA, nullable: true }) role: OrgRole | null;
  @ApiPropertyOptional({ type: () => SignupInvitationPending }) invitation?: SignupInvitationPending;
}

/** POST /auth/verify-email. */
export class EmailVerifiedAnswer {
  @ApiProperty() email: string;
  @ApiProperty({ enum: [true] }) emailVerified: true;
}

/** POST /auth/verify-email/resend. */
export class VerificationResendAnswer {
  @ApiProperty({ enum: ['sent', 'already_verified'] }) status: 'sent' | 'already_verified';
}

/** POST /auth/password-reset: the same answer whether or not the address has an account. */
export class PasswordResetAccepted {
  @ApiProperty({ enum: ['accepted'] }) status: 'accepted';
  @ApiProperty() detail: string;
}

export class MeOrganization {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty(ORG_ROLE_SCHEMA) role: OrgRole;
}

export class MeCertificationBody {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty(CERTIFIER_ROLE_SCHEMA) role: string;
}

/** GET /me. */
export class CurrentUser extends AuthUser {
  @ApiProperty({ type: () => MeOrganization, isArray: true }) organizations: MeOrganization[];
  @ApiProperty({ type: () => MeCertificationBody, isArray: true }) certificationBodies: MeCertificationBody[];
}
