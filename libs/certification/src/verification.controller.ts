import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Access, RequestContext, uuidParam } from '@halve/platform';
import { CertificateVerification, NotificationView } from './dto/certification.responses';
import { NotificationsService } from './notifications.service';
import { VerificationService } from './verification.service';

/**
 * Public, unauthenticated verification of a certificate. Throttled per address by the `verify` throttler
 * (VERIFY_RATE_LIMIT_PER_MINUTE, platform.module.ts, keyed on req.ip: see HALVE_TRUSTED_PROXIES); with 80-bit
 * numbers the throttle only keeps scanners from wasting the database's time.
 */
@ApiTags('certification')
@Controller('verify')
export class VerificationController {
  constructor(private readonly verification: VerificationService) {}

  @Get(':number')
  @Access.public()
  @ApiOperation({
    summary:
      'Verify a certificate: status (valid, expired, revoked), statement, period, body, issue and validity dates, evidence SHA-256; nothing else of the organisation',
  })
  @ApiTooManyRequestsResponse({
    description: 'More than VERIFY_RATE_LIMIT_PER_MINUTE (60) requests a minute from one address',
  })
  @ApiOkResponse({ type: CertificateVerification })
  verify(@Param('number') number: string): Promise<CertificateVerification> {
    return this.verification.verify(number);
  }
}

export class NotificationsQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) unread?: string;
}

/** The caller's in-portal notifications. */
@ApiTags('certification')
@Controller('me/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Access.user()
  @ApiOkResponse({ type: NotificationView, isArray: true, description: 'Newest first, at most 200' })
  list(@Query() q: NotificationsQueryDto): Promise<NotificationView[]> {
    return this.notifications.list(RequestContext.userId(), q.unread === 'true');
  }

  @Post(':notificationId/read')
  @HttpCode(204)
  @Access.user()
  @ApiNoContentResponse({ description: 'Marked read' })
  async read(@uuidParam('notificationId', 'Notification') id: string): Promise<void> {
    await this.notifications.markRead(RequestContext.userId(), id);
  }
}
