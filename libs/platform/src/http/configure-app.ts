import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '../config/config';
import { bodyErrorMiddleware, contextMiddleware, requestIdMiddleware } from './context.middleware';
import { jsonBodyVerifier, stringGuardMiddleware } from './input-guard';
import { validationPipe } from './validation';

export const API_PREFIX = 'api/v1';

/** The Content-Security-Policy of every answer (the portal's pages included); helmet adds its other defaults. */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // Plain-http deployments (and localhost) must still load the portal's files.
  upgradeInsecureRequests: null,
};

/** Everything an HTTP app needs, shared by main.ts and the end-to-end tests. */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  // Whose X-Forwarded-For is believed (req.ip, the throttlers' key): only HALVE_TRUSTED_PROXIES; by default
  // nobody's, so a client cannot pick its own address by sending the header.
  app.set('trust proxy', config.trustedProxies.length ? config.trustedProxies : false);
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        // No inline script or style: an injected <script> or style attribute does not run (the portal's build has
        // none; React and the charts set styles through the DOM, which CSP allows). See CONTENT_SECURITY_POLICY.
        directives: CONTENT_SECURITY_POLICY,
      },
    }),
  );
  // The API documentation page (Swagger UI) carries two small inline <style> blocks: inline styles there
  // only, scripts stay 'self'.
  app.use(
    '/api/docs',
    helmet.contentSecurityPolicy({
      directives: { ...CONTENT_SECURITY_POLICY, styleSrc: ["'self'", "'unsafe-inline'"] },
    }),
  );
  // Body parsers first, then the request context, so the context survives the parsers' callbacks.
  app.use(requestIdMiddleware);
  // The JSON parser refuses over-deep bodies from the raw bytes, before parsing (see input-guard.ts).
  app.useBodyParser('json', {
    limit: config.bodyLimitBytes,
    type: ['application/json', 'application/*+json'],
    verify: jsonBodyVerifier(),
  });
  app.useBodyParser('urlencoded', { limit: config.bodyLimitBytes, extended: false });
  app.use(bodyErrorMiddleware);
  app.use(stringGuardMiddleware);
  app.use(contextMiddleware);
  app.useGlobalPipes(validationPipe());
  app.setGlobalPrefix(API_PREFIX);
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Halve API')
      .setDescription(
        'Carbon management for small and medium businesses. Errors are application/problem+json (RFC 9457).',
      )
      .setVersion('1')
      .addBearerAuth()
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs/openapi.json',
    useGlobalPrefix: false,
  });
}
