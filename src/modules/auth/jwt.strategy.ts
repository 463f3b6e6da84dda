import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Principal, STAFF_ROLES, StaffRole } from '../../common';
import { AUTH_SECRET } from './auth.constants';
import { Inject } from '@nestjs/common';
import type { TokenPayload } from './auth.service';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(AUTH_SECRET) secret: string) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: secret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  validate(payload: TokenPayload): Principal | false {
    if (payload.kind === 'member' && typeof payload.sub === 'string') {
      return { kind: 'member', memberId: payload.sub, roles: [] };
    }
    if (
      payload.kind === 'staff' &&
      typeof payload.sub === 'string' &&
      Array.isArray(payload.roles)
    ) {
      const roles = payload.roles.filter((r): r is StaffRole =>
        (STAFF_ROLES as readonly string[]).includes(r),
      );
      return { kind: 'staff', userId: payload.sub, roles, storeId: payload.storeId ?? null };
    }
    return false;
  }
}
