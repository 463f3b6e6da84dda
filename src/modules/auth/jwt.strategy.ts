import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Principal } from '../../common';
import { AUTH_SECRET } from './auth.constants';
import { Inject } from '@nestjs/common';
import type { TokenPayload } from './auth.service';
import { AuthorityService } from './authority.service';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(AUTH_SECRET) secret: string,
    private readonly authority: AuthorityService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: secret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  /**
   * The token says who; the account says what they may do (issue 13): roles, store and active
   * flag are read for each request (briefly cached), and a token of older credentials is refused.
   */
  async validate(payload: TokenPayload): Promise<Principal | false> {
    if (typeof payload.sub !== 'string') return false;
    if (payload.kind === 'member') return this.authority.member(payload.sub);
    if (payload.kind === 'staff')
      return this.authority.staff(payload.sub, typeof payload.ver === 'number' ? payload.ver : 0);
    return false;
  }
}
