import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { hasRole, IS_PUBLIC, Principal, Role, ROLES } from '../../common';
import { ApiKeysService } from './api-keys.service';
import { AuthError, AuthErrorCode } from './auth.errors';

/**
 * The global guard. Deny by default: a route passes only if it is @Public() or names, with
 * @Roles(), a role the caller has. Callers prove who they are with a Bearer token (staff or
 * member) or, for POS terminals, an X-Api-Key header.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const req = context.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
    const apiKey = req.headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey.length > 0) {
      req.user = await this.apiKeys.authenticate(apiKey);
    } else {
      await super.canActivate(context);
    }
    const principal = req.user!;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets) ?? [];
    if (!roles.some((role) => hasRole(principal, role))) {
      throw new AuthError('forbidden', AuthErrorCode.Forbidden, 'your role may not do this');
    }
    return true;
  }

  override handleRequest<T>(err: unknown, user: T, info: unknown): T {
    if (err instanceof Error) throw err;
    if (!user) {
      const name = (info as { name?: string } | undefined)?.name;
      if (name === 'TokenExpiredError') {
        throw new AuthError(
          'unauthorized',
          AuthErrorCode.TokenExpired,
          'token expired: sign in again',
        );
      }
      if (name === 'JsonWebTokenError' || name === 'NotBeforeError') {
        throw new AuthError('unauthorized', AuthErrorCode.TokenInvalid, 'invalid token');
      }
      throw new AuthError('unauthorized', AuthErrorCode.Unauthenticated, 'authentication required');
    }
    return user;
  }
}
