import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import type { Principal, Role } from './principal';

export const IS_PUBLIC = 'fidelia:public';
export const ROLES = 'fidelia:roles';

/** Open to anyone: the only way past the global guard without credentials. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * Who may call a route. Without @Roles (or @Public) the global guard refuses every caller:
 * deny by default. `member` admits a member's own session (ownership is still checked).
 */
export const Roles = (...roles: Role[]) =>
  applyDecorators(SetMetadata(ROLES, roles), ApiBearerAuth(), ApiSecurity('api-key'));

/** The authenticated caller, as set by the global guard. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal =>
    ctx.switchToHttp().getRequest().user as Principal,
);
