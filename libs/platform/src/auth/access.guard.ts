import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  InternalServerErrorException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { APP_CONFIG, AppConfig } from '../config/config';
import { OrgRole, RequestContext } from '../context/request-context';
import { Db } from '../database/tenant-db';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../errors/problems';
import { ACCESS_KEY, AccessRule } from './access';
import { sameHash, sha256 } from './crypto';

export interface AccessTokenClaims {
  sub: string;
  sid: string;
  typ: 'access';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * The one guard on every route. It reads the route's declared rule, authenticates the caller (bearer
 * token or API key) and resolves their membership and role from the database on every request — roles
 * are never frozen into tokens, so a revoked membership or new role applies at once. The result goes
 * into the request context. Another organisation's id answers 404, never 403.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly db: Db,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!rule) {
      throw new InternalServerErrorException(
        `Route ${context.getClass().name}.${context.getHandler().name} declares no access rule.`,
      );
    }
    if (rule.kind === 'public') return true;
    const req = context.switchToHttp().getRequest<Request<Record<string, string>>>();
    const ctx = RequestContext.current();
    const apiKey = req.header('x-api-key');

    if (apiKey) {
      if (rule.kind !== 'org' || !rule.apiKeyScope)
        throw new UnauthorizedError('This route does not accept API keys; log in instead.');
      return this.apiKeyAccess(apiKey, req.params.orgId, rule.apiKeyScope);
    }

    const userId = await this.bearerUser(req);
    ctx.userId = userId;

    switch (rule.kind) {
      case 'user':
        return true;
      case 'platform_admin':
        if (!ctx.isPlatformAdmin) throw new ForbiddenError('Only a platform administrator may do this.');
        return true;
      case 'org':
        return this.orgAccess(userId, req.params.orgId, rule.roles);
      case 'certifier':
        return this.certifierAccess(userId, req.params.bodyId, rule.roles);
    }
  }

  private async bearerUser(req: Request<Record<string, string>>): Promise<string> {
    const header = req.header('authorization');
    const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!m) throw new UnauthorizedError('Send an access token as "Authorization: Bearer <token>".');
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(m[1], { secret: this.config.jwtSecret });
    } catch {
      throw new UnauthorizedError('The access token is invalid or has expired; refresh it or log in again.');
    }
    if (claims.typ !== 'access' || !isUuid(claims.sub) || !isUuid(claims.sid))
      throw new UnauthorizedError('The access token is invalid.');
    const rows: { is_platform_admin: boolean }[] = await this.db.system((em) =>
      em.query(
        `SELECT u.is_platform_admin FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now()`,
        [claims.sid, claims.sub],
      ),
    );
    if (!rows.length) throw new UnauthorizedError('This session has ended; log in again.');
    RequestContext.current().isPlatformAdmin = rows[0].is_platform_admin;
    RequestContext.current().sessionId = claims.sid;
    return claims.sub;
  }

  private async orgAccess(
    userId: string,
    orgId: string | undefined,
    roles: readonly OrgRole[],
  ): Promise<boolean> {
    if (!isUuid(orgId)) throw new NotFoundError('Organization', orgId);
    const rows: { role: OrgRole }[] = await this.db.system((em) =>
      em.query('SELECT role FROM memberships WHERE tenant_id = $1 AND user_id = $2', [orgId, userId]),
    );
    if (!rows.length) throw new NotFoundError('Organization', orgId);
    const ctx = RequestContext.current();
    ctx.tenantId = orgId;
    ctx.role = rows[0].role;
    if (!roles.includes(rows[0].role)) {
      throw new ForbiddenError(
        `Your role (${rows[0].role}) does not allow this; it needs one of: ${roles.join(', ')}.`,
      );
    }
    return true;
  }

  private async apiKeyAccess(key: string, orgId: string | undefined, scope: string): Promise<boolean> {
    const m = /^hlv_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{20,})$/.exec(key);
    if (!m) throw new UnauthorizedError('The API key is malformed.');
    const rows: {
      tenant_id: string;
      id: string;
      key_hash: string;
      scopes: string[];
      revoked_at: Date | null;
    }[] = await this.db.system((em) =>
      em.query('SELECT tenant_id, id, key_hash, scopes, revoked_at FROM api_keys WHERE prefix = $1', [m[1]]),
    );
    const row = rows[0];
    if (!row || !sameHash(row.key_hash, sha256(key)) || row.revoked_at)
      throw new UnauthorizedError('The API key is invalid or revoked.');
    // A key of another organisation: the organisation in the path does not exist for this caller.
    if (!isUuid(orgId) || row.tenant_id !== orgId) throw new NotFoundError('Organization', orgId);
    if (!row.scopes.includes(scope)) throw new ForbiddenError(`This API key lacks the scope "${scope}".`);
    const ctx = RequestContext.current();
    ctx.tenantId = orgId;
    ctx.apiKeyId = row.id;
    ctx.apiKeyScopes = row.scopes;
    await this.db.system((em) =>
      em.query('UPDATE api_keys SET last_used_at = now() WHERE tenant_id = $1 AND id = $2', [
        row.tenant_id,
        row.id,
      ]),
    );
    return true;
  }

  private async certifierAccess(
    userId: string,
    bodyId: string | undefined,
    roles: readonly string[],
  ): Promise<boolean> {
    if (!isUuid(bodyId)) throw new NotFoundError('Certification body', bodyId);
    const rows: { role: string }[] = await this.db.system((em) =>
      em.query('SELECT role FROM certification_body_members WHERE body_id = $1 AND user_id = $2', [
        bodyId,
        userId,
      ]),
    );
    if (!rows.length) throw new NotFoundError('Certification body', bodyId);
    if (!roles.includes(rows[0].role))
      throw new ForbiddenError(`This needs the role ${roles.join(' or ')} in the certification body.`);
    const ctx = RequestContext.current();
    ctx.bodyId = bodyId;
    ctx.bodyRole = rows[0].role as 'certifier' | 'lead_certifier';
    return true;
  }
}
