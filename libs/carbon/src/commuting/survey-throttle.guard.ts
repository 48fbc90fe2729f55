import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';

/** Requests a minute one address may make to the public survey endpoints. */
export const SURVEY_RATE_LIMIT_PER_MINUTE = 30;
const WINDOW_MS = 60_000;

/**
 * Throttles the public commuting-survey endpoints per address (req.ip, as the platform's `verify`
 * throttler keys public verification: see HALVE_TRUSTED_PROXIES), answering 429 with Retry-After. In
 * memory per API process: a link's 64-character token is not guessable, so this only keeps a shared
 * link from being used to flood an organisation's answers.
 */
@Injectable()
export class SurveyThrottleGuard implements CanActivate {
  private readonly hits = new Map<string, { count: number; resetAt: number }>();

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const now = Date.now();
    const key = req.ip ?? 'unknown';
    let h = this.hits.get(key);
    if (!h || h.resetAt <= now) {
      if (this.hits.size > 10_000) for (const [k, v] of this.hits) if (v.resetAt <= now) this.hits.delete(k);
      h = { count: 0, resetAt: now + WINDOW_MS };
      this.hits.set(key, h);
    }
    h.count++;
    if (h.count > SURVEY_RATE_LIMIT_PER_MINUTE) {
      res.setHeader('Retry-After', String(Math.ceil((h.resetAt - now) / 1000)));
      throw new HttpException(
        {
          type: 'about:blank',
          title: 'Too many requests',
          status: 429,
          detail: `More than ${SURVEY_RATE_LIMIT_PER_MINUTE} survey requests a minute from one address: try again later.`,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    return true;
  }
}
