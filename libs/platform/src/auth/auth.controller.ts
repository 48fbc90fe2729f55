import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/config';
import { RequestContext } from '../context/request-context';
import { UnauthorizedError } from '../errors/problems';
import { Access } from './access';
import {
  LoginDto,
  LogoutDto,
  PasswordResetConfirmDto,
  PasswordResetDto,
  RefreshDto,
  SignupDto,
  VerifyEmailDto,
} from './auth.dto';
import {
  AuthTokens,
  CurrentUser,
  EmailVerifiedAnswer,
  PasswordResetAccepted,
  SignupSession,
  VerificationResendAnswer,
} from './auth.responses';
import { AuthService, TokenPair } from './auth.service';
import {
  CSRF_HEADER,
  CsrfHeaderMissingError,
  DEVICE_COOKIE,
  REFRESH_COOKIE,
  clearRefreshCookie,
  hasCsrfHeader,
  readCookie,
  requireJsonBody,
  setDeviceCookie,
  setRefreshCookie,
} from './session-cookie';

const CSRF_DOC = {
  name: CSRF_HEADER,
  required: false,
  description:
    'Browsers: "1". Required when the refresh token comes in the halve_refresh cookie; with it, token answers leave the refresh token out of the body (it is only in the HttpOnly cookie).',
};

/**
 * Rate limited per address by the `auth` throttler (HALVE_AUTH_RATE_LIMIT a minute). Every answer that issues
 * tokens also sets the refresh token as an HttpOnly, SameSite=Strict cookie on /api/v1/auth (see session-cookie.ts).
 */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Sets the cookie; a browser (anti-CSRF header) gets the refresh token only there, an API client in the body too. */
  private deliver<T extends Partial<TokenPair>>(req: Request, res: Response, answer: T): T {
    if (answer.refreshToken) setRefreshCookie(res, this.config, answer.refreshToken);
    if (!hasCsrfHeader(req)) return answer;
    const { refreshToken: _cookieOnly, ...rest } = answer;
    return rest as T;
  }

  @Post('signup')
  @Access.public()
  @ApiHeader(CSRF_DOC)
  @ApiOperation({ summary: 'Create a user and their first organisation (as owner), or join by invitation' })
  @ApiCreatedResponse({ type: SignupSession })
  async signup(
    @Body() dto: SignupDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SignupSession> {
    requireJsonBody(req);
    return this.deliver(req, res, await this.auth.signup(dto));
  }

  @Post('login')
  @HttpCode(200)
  @Access.public()
  @ApiHeader(CSRF_DOC)
  @ApiOperation({ summary: 'Log in: a short-lived access token and a refresh token' })
  @ApiOkResponse({ type: AuthTokens })
  async login(
    @Body() dto: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthTokens> {
    requireJsonBody(req);
    const tokens = await this.auth.login(dto.email, dto.password, {
      address: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      deviceCookie: readCookie(req, DEVICE_COOKIE),
    });
    setDeviceCookie(res, this.config, dto.email.trim().toLowerCase());
    return this.deliver(req, res, tokens);
  }

  @Post('refresh')
  @HttpCode(200)
  @Access.public()
  @ApiHeader(CSRF_DOC)
  @ApiForbiddenResponse({ description: `csrf_header_missing: the cookie was used without ${CSRF_HEADER}: 1` })
  @ApiOperation({
    summary:
      'Exchange a refresh token (body, or the halve_refresh cookie with X-Halve-CSRF: 1) for new tokens (the old refresh token stops working)',
  })
  @ApiOkResponse({ type: AuthTokens })
  async refresh(
    @Body() dto: RefreshDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthTokens> {
    requireJsonBody(req);
    const cookie = dto.refreshToken ? null : readCookie(req, REFRESH_COOKIE);
    if (cookie && !hasCsrfHeader(req)) throw new CsrfHeaderMissingError();
    const token = dto.refreshToken ?? cookie;
    if (!token)
      throw new UnauthorizedError(
        `No refresh token: send {"refreshToken": …} or the ${REFRESH_COOKIE} cookie.`,
      );
    try {
      return this.deliver(req, res, await this.auth.refresh(token));
    } catch (err) {
      // A cookie that no longer refreshes is removed, so the portal does not keep presenting it.
      if (cookie) clearRefreshCookie(res, this.config);
      throw err;
    }
  }

  @Post('logout')
  @HttpCode(204)
  @Access.user()
  @ApiHeader(CSRF_DOC)
  @ApiOperation({
    summary:
      'End the session of the given refresh token (body or cookie), or of the access token used; clears the cookie',
  })
  @ApiNoContentResponse({ description: 'The session has ended' })
  async logout(
    @Body() dto: LogoutDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    requireJsonBody(req);
    const ctx = RequestContext.current();
    const cookie = dto.refreshToken ? null : readCookie(req, REFRESH_COOKIE);
    if (cookie && !hasCsrfHeader(req)) throw new CsrfHeaderMissingError();
    clearRefreshCookie(res, this.config);
    await this.auth.logout(ctx.userId!, dto.refreshToken ?? cookie ?? undefined, ctx.sessionId);
  }

  @Post('verify-email')
  @HttpCode(200)
  @Access.public()
  @ApiOperation({
    summary: 'Confirm the e-mail address with the token e-mailed to it (single use, 48 hours)',
  })
  @ApiOkResponse({ type: EmailVerifiedAnswer })
  verifyEmail(@Body() dto: VerifyEmailDto): Promise<EmailVerifiedAnswer> {
    return this.auth.verifyEmail(dto.token);
  }

  @Post('verify-email/resend')
  @HttpCode(202)
  @Access.user()
  @ApiOperation({ summary: "E-mail a new verification token to the caller's address" })
  @ApiAcceptedResponse({ type: VerificationResendAnswer })
  resendVerification(): Promise<VerificationResendAnswer> {
    return this.auth.resendVerification(RequestContext.userId());
  }

  @Post('password-reset')
  @HttpCode(202)
  @Access.public()
  @ApiOperation({
    summary:
      'E-mail a password-reset token if the address has an account (the answer is the same either way)',
  })
  @ApiAcceptedResponse({ type: PasswordResetAccepted })
  requestPasswordReset(@Body() dto: PasswordResetDto): Promise<PasswordResetAccepted> {
    return this.auth.requestPasswordReset(dto.email);
  }

  @Post('password-reset/confirm')
  @HttpCode(204)
  @Access.public()
  @ApiOperation({
    summary:
      'Set a new password with the e-mailed token (single use, 1 hour); ends every session of the user',
  })
  @ApiNoContentResponse({ description: 'The password is set' })
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
  @ApiOkResponse({ type: CurrentUser })
  me(): Promise<CurrentUser> {
    return this.auth.me(RequestContext.userId());
  }
}
