import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { validateBody } from '../../common';
import { badCredentials } from './auth.errors';
import { LoginDto } from './dto/auth.dto';

/**
 * passport-local, after the body has been validated: guards run before pipes, and a malformed
 * login must be a 400 naming the field, not a 401.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    await validateBody(LoginDto, context.switchToHttp().getRequest().body);
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err instanceof Error) throw err;
    if (err || !user) throw badCredentials();
    return user;
  }
}
