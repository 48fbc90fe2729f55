import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

/**
 * The throttler guard, with the standard `Retry-After` header on a 429 (RFC 9110 §10.2.3). @nestjs/throttler
 * names it after the throttler (`Retry-After-auth`, `Retry-After-verify`), which no client understands; the
 * informational `X-RateLimit-*-<name>` headers keep their names.
 */
@Injectable()
export class HalveThrottlerGuard extends ThrottlerGuard {
  protected override setResponseHeader(
    res: Record<string, unknown>,
    name: string,
    value: string | number,
  ): void {
    super.setResponseHeader(res, name.startsWith('Retry-After') ? 'Retry-After' : name, value);
  }
}
