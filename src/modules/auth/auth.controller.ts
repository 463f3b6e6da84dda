import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import {
  answerNoSoonerThan,
  CurrentPrincipal,
  Principal,
  Public,
  Roles,
  StaffPrincipal,
} from '../../common';
import { AppConfig } from '../../config';
import { AuthError, AuthErrorCode } from './auth.errors';
import { AuthService } from './auth.service';
import { LoginDto, MemberCodeRequestDto, MemberSessionDto } from './dto/auth.dto';
import { LocalAuthGuard } from './local-auth.guard';

@ApiTags('auth')
@Controller('api/auth')
@UseGuards(ThrottlerGuard)
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  /** Staff sign-in: email + password → short-lived access token and roles. */
  @Post('login')
  @Public()
  @HttpCode(200)
  @UseGuards(LocalAuthGuard)
  @ApiBody({ type: LoginDto })
  login(@CurrentPrincipal() principal: StaffPrincipal) {
    return this.auth.issueStaffToken(principal);
  }

  /** A staff session renewed before it expires (same user, current roles and store). */
  @Post('refresh')
  @Roles('staff')
  @HttpCode(200)
  refresh(@CurrentPrincipal() principal: Principal) {
    if (principal.kind !== 'staff')
      throw new AuthError('forbidden', AuthErrorCode.Forbidden, 'only staff sessions are renewed');
    return this.auth.refreshStaffToken(principal);
  }

  /**
   * Member sign-in, step 1: a one-time code goes to the member's email. Known email or not, the
   * same answer in the same time.
   */
  @Post('member/code')
  @Public()
  @HttpCode(202)
  async requestCode(@Body() dto: MemberCodeRequestDto) {
    await answerNoSoonerThan(this.config.PUBLIC_ANSWER_FLOOR_MS, () =>
      this.auth.requestMemberCode(dto.email),
    );
    return { sent: true };
  }

  /** Member sign-in, step 2: the code → a member session token. */
  @Post('member/session')
  @Public()
  @HttpCode(200)
  verifyCode(@Body() dto: MemberSessionDto) {
    return answerNoSoonerThan(this.config.PUBLIC_ANSWER_FLOOR_MS, () =>
      this.auth.verifyMemberCode(dto.email, dto.code),
    );
  }
}
