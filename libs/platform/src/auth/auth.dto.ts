import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsIn,
  IsISO31661Alpha2,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  Validate,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { IANAZone } from 'luxon';
import { passwordProblems } from './password-policy';

@ValidatorConstraint({ name: 'ianaZone' })
export class IsIanaZone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && IANAZone.isValidZone(value);
  }
  defaultMessage(): string {
    return 'must be an IANA time zone such as Europe/London';
  }
}

/** The password policy (password-policy.ts) against the body's `email` and `organizationName`. */
@ValidatorConstraint({ name: 'passwordPolicy' })
export class MeetsPasswordPolicy implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return typeof value === 'string' && passwordProblems(value, context(args)).length === 0;
  }
  defaultMessage(args: ValidationArguments): string {
    const value = args.value;
    if (typeof value !== 'string') return 'password must be a string';
    return `password ${passwordProblems(value, context(args))
      .map((p) => p.message)
      .join('; ')}`;
  }
}

function context(args: ValidationArguments): { email?: string; orgName?: string } {
  const body = args.object as { email?: unknown; organizationName?: unknown };
  return {
    email: typeof body.email === 'string' ? body.email : undefined,
    orgName: typeof body.organizationName === 'string' ? body.organizationName : undefined,
  };
}

export class SignupDto {
  @ApiProperty({ example: 'ada@example.com' }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({
    minLength: 10,
    maxLength: 200,
    description:
      'Not one of the 10,000 most common passwords, not a trivial pattern (aaaaaaaaaa, 1234567890), not containing the e-mail address (or its part before the @) or the organisation name',
  })
  @IsString()
  @Validate(MeetsPasswordPolicy)
  password: string;
  @ApiProperty({ example: 'Ada Lovelace' }) @IsString() @Length(1, 200) name: string;
  @ApiPropertyOptional({ example: 'Lovelace Bakery Ltd' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  organizationName?: string;
  @ApiPropertyOptional({ example: 'GB' }) @IsOptional() @IsISO31661Alpha2() country?: string;
  @ApiPropertyOptional({ example: 'Europe/London' }) @IsOptional() @Validate(IsIanaZone) timezone?: string;
  @ApiPropertyOptional({ description: 'Accept an invitation instead of creating an organisation' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  invitationToken?: string;
}

export class LoginDto {
  @ApiProperty() @IsEmail() @MaxLength(254) email: string;
  @ApiProperty() @IsString() @MaxLength(200) password: string;
}

export class RefreshDto {
  @ApiPropertyOptional({
    description:
      'API clients: the refresh token. Browsers send the halve_refresh cookie and the header X-Halve-CSRF: 1 instead.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  refreshToken?: string;
}

export class LogoutDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) refreshToken?: string;
}

export const CURRENCIES = [
  'GBP',
  'EUR',
  'USD',
  'CNY',
  'CHF',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
  'CAD',
  'AUD',
  'NZD',
  'JPY',
  'INR',
];

export class UpdateOrganizationDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO31661Alpha2() country?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) gridRegion?: string;
  @ApiPropertyOptional() @IsOptional() @Validate(IsIanaZone) timezone?: string;
  @ApiPropertyOptional() @IsOptional() @IsIn(CURRENCIES) currency?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) sector?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsIn(Array.from({ length: 61 }, (_, i) => 1990 + i))
  baseYear?: number;
  @ApiPropertyOptional()
  @IsOptional()
  @IsIn([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
  fiscalYearStartMonth?: number;
}

export class VerifyEmailDto {
  @ApiProperty({ description: 'The token from the verification e-mail' })
  @IsString()
  @MaxLength(1000)
  token: string;
}

export class PasswordResetDto {
  @ApiProperty() @IsEmail() @MaxLength(254) email: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty({ description: 'The token from the password-reset e-mail' })
  @IsString()
  @MaxLength(1000)
  token: string;
  /** The password policy is applied by the service, against the account's e-mail (not in this body). */
  @ApiProperty({ minLength: 10, maxLength: 200 })
  @IsString()
  @Length(10, 200, { message: 'password must be 10 to 200 characters long' })
  password: string;
}
