import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Paths the SPA must never answer: the API and its documentation keep their own 404s. */
const NOT_PORTAL = /^\/api(\/|$)/;

/** The built portal (apps/portal/dist), found from the source tree or from dist/apps/api/src. */
export function portalDir(): string | null {
  const candidates = [
    process.env.HALVE_PORTAL_DIR,
    resolve(__dirname, '../../portal/dist'), // apps/api/src → apps/portal/dist (ts source runs)
    resolve(__dirname, '../../../../apps/portal/dist'), // dist/apps/api/src → apps/portal/dist
    resolve(process.cwd(), 'apps/portal/dist'),
  ].filter((p): p is string => !!p);
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

/**
 * Serves the portal at `/`: hashed assets with long-lived caching, and index.html for every other
 * GET that is not under /api (client-side routes such as /orgs/… and /verify/{number}).
 * Registered on the underlying Express app after Nest's routes, so API routes always win.
 */
@Module({})
export class PortalModule implements OnModuleInit {
  private readonly logger = new Logger('Portal');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter || adapter.getType() !== 'express') return; // the worker has no HTTP server
    const dir = portalDir();
    if (!dir) {
      this.logger.warn(
        'The portal is not built (apps/portal/dist is missing): run `npm run build` to serve it at /.',
      );
      return;
    }
    const indexPath = join(dir, 'index.html');
    const app = adapter.getInstance<express.Express>();
    const assets = express.static(dir, {
      index: false,
      fallthrough: true,
      setHeaders: (res, path) => {
        res.setHeader(
          'Cache-Control',
          /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
    app.use((req: Request, res: Response, next: NextFunction) => {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_PORTAL.test(req.path)) return next();
      assets(req, res, () => {
        // A missing hashed asset is a real 404, not the app shell.
        if (req.path.startsWith('/assets/')) return next();
        // index.html is small; read per request so a rebuilt portal is picked up without a restart.
        let html: string;
        try {
          html = readFileSync(indexPath, 'utf8');
        } catch {
          return next();
        }
        res.setHeader('Cache-Control', 'no-cache');
        res.type('html').send(html);
      });
    });
    this.logger.log(`serving the portal from ${dir}`);
  }
}
