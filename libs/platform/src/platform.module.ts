import { DynamicModule, Global, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { AdminController, CertificationBodiesController } from './admin/admin';
import { AccessGuard } from './auth/access.guard';
import { AuthController, MeController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { LoginLockoutsRepository } from './auth/login-lockouts.repository';
import { SessionTokens } from './auth/session-tokens.service';
import { SessionsRepository } from './auth/sessions.repository';
import { UsersRepository } from './auth/users.repository';
import { AuditService } from './audit/audit.service';
import { APP_CONFIG, AppConfig } from './config/config';
import { DemoRegistry, StartupService } from './demo/demo';
import { ProblemFilter } from './errors/problem.filter';
import { HalveThrottlerGuard } from './http/throttler.guard';
import { HealthController, HealthRegistry } from './health/health';
import { JOBS_OPTIONS, JobsService } from './jobs/jobs.service';
import { JobsController } from './jobs/jobs.controller';
import { LogMailer, MAILER } from './notifications/mailer';
import { InvitationsController, OrgsController } from './orgs/orgs.controller';
import { ApiKeysRepository } from './orgs/api-keys.repository';
import { InvitationsRepository } from './orgs/invitations.repository';
import { OrgsRepository } from './orgs/orgs.repository';
import { OrgsService } from './orgs/orgs.service';

/** Authentication, organisations and their repositories (AuthService and OrgsService are exported too). */
const ACCOUNT_PROVIDERS = [
  AuthService,
  SessionTokens,
  UsersRepository,
  SessionsRepository,
  LoginLockoutsRepository,
  OrgsService,
  OrgsRepository,
  InvitationsRepository,
  ApiKeysRepository,
];

/** Requests a minute one address may make to `GET /verify/{number}`. */
export const VERIFY_RATE_LIMIT_PER_MINUTE = 60;

/**
 * Config, logging, auth, tenancy, audit, jobs, health, errors. `http: false` for the worker, which
 * serves no routes but shares every service.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: AppConfig, options: { http: boolean; processJobs: boolean }): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        DiscoveryModule,
        JwtModule.register({ secret: config.jwtSecret }),
        LoggerModule.forRoot({
          // Express 5 / path-to-regexp 8 wildcard syntax (the default '*' logs a legacy-route warning).
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
          pinoHttp: {
            level: config.logLevel,
            genReqId: (req) => (req as { id?: string }).id ?? 'none',
            autoLogging: config.logLevel === 'debug' || config.logLevel === 'trace',
            redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
          },
        }),
        ThrottlerModule.forRoot({
          // Per address (req.ip: see HALVE_TRUSTED_PROXIES). Each throttler applies to one controller only.
          throttlers: [
            {
              name: 'auth',
              ttl: 60_000,
              limit: config.authRateLimitPerMinute,
              skipIf: (ctx) => ctx.getClass().name !== 'AuthController',
            },
            // Public certificate verification (libs/certification): guessing numbers is slowed to a crawl.
            {
              name: 'verify',
              ttl: 60_000,
              limit: VERIFY_RATE_LIMIT_PER_MINUTE,
              skipIf: (ctx) => ctx.getClass().name !== 'VerificationController',
            },
          ],
        }),
      ],
      controllers: options.http
        ? [
            AuthController,
            MeController,
            OrgsController,
            InvitationsController,
            JobsController,
            HealthController,
            AdminController,
            CertificationBodiesController,
          ]
        : [],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: JOBS_OPTIONS, useValue: { processJobs: options.processJobs } },
        { provide: MAILER, useClass: LogMailer },
        AuditService,
        ...ACCOUNT_PROVIDERS,
        JobsService,
        HealthRegistry,
        DemoRegistry,
        StartupService,
        ...(options.http
          ? [
              { provide: APP_GUARD, useClass: HalveThrottlerGuard },
              AccessGuard,
              { provide: APP_GUARD, useExisting: AccessGuard },
              { provide: APP_FILTER, useClass: ProblemFilter },
            ]
          : []),
      ],
      exports: [
        APP_CONFIG,
        MAILER,
        AuditService,
        AuthService,
        OrgsService,
        JobsService,
        HealthRegistry,
        DemoRegistry,
        StartupService,
        JwtModule,
      ],
    };
  }
}
