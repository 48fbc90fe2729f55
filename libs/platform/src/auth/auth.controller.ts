import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequestContext } from '../context/request-context';
import { Access } from './access';
import { LoginDto, LogoutDto, PasswordResetConfirmDto, PasswordResetDto, RefreshDto, SignupDto, VerifyEmailDto } from './auth.dto';
import { AuthService } from './auth.service';

/** Rate limited per address by the `auth` throttler (HALVE_AUTH_RATE_LIMIT a minute). */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('signup')
  @Access.public()
  @ApiOperation({ summary: 'Create a user and their first organisation (as owner), or join by invitation' })
  signup(@Body() dto: SignupDto) {
    return this.auth.signup(dto);
  }

  @Post('login')
  @HttpCode(200)
  @Access.public()
  @ApiOperation({ summary: 'Log in: a short-lived access token and a refresh token' })
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto.email, dto.password);
  }

  @Post('refresh')
  @HttpCode(200)
  @Access.public()
  @ApiOperation({ summary: 'Exchange a refresh token for new tokens (the old refresh token stops working)' })
  refresh(@Body() dto: RefreshDto) {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @Access.user()
  @ApiOperation({ summary: 'End the session of the given refresh token (or of the access token used)' })
  async logout(@Body() dto: LogoutDto): Promise<void> {
    const ctx = RequestContext.current();
    await this.auth.logout(ctx.userId!, dto.refreshToken, ctx.sessionId);
  }
  @Post('verify-email')
  @HttpCode(200)
  @Access.public()
  @ApiOperation({ summary: 'Confirm the e-mail address with the token e-mailed to it (single use, 48 hours)' })
  verifyEmail(@Body() dto: VerifyEmailDto) {
    return this.auth.verifyEmail(dto.token);
  }

  @Post('verify-email/resend')
  @HttpCode(202)
  @Access.user()
  @ApiOperation({ summary: "E-mail a new verification token to the caller's address" })
  resendVerification() {
    return this.auth.resendVerification(RequestContext.userId());
  }

  @Post('password-reset')
  @HttpCode(202)
  @Access.public()
  @ApiOperation({ summary: 'E-mail a password-reset token if the address has an account (the answer is the same either way)' })
  requestPasswordReset(@Body() dto: PasswordResetDto) {
    return this.auth.requestPasswordReset(dto.email);
  }

  @Post('password-reset/confirm')
  @HttpCode(204)
  @Access.public()
  @ApiOperation({ summary: 'Set a new password with the e-mailed token (single use, 1 hour); ends every session of the user' })
  async confirmPasswordReset(@Body() dto: PasswordResetConfirmDto): Promise<void> {
    await this.auth.confirmPasswordReset(dto.token, dto.password);
  }
}

@ApiTags('auth')
@Controller('me')
export class MeController {
  constructor(private readonly auth: AuthService) {}

  @Get()
  @Access.user()
  @ApiOperation({ summary: 'The current user with their organisations and certification bodies' })
  me() {
    return this.auth.me(RequestContext.userId());
  }
}
