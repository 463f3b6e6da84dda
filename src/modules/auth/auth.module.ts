import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../../config';
import { AuditModule } from '../audit';
import { MembersModule } from '../members';
import { MessagingModule } from '../messaging';
import { StoresModule } from '../stores';
import { AccessGuard } from './access.guard';
import { ApiKey } from './api-key.entity';
import { AuthPagesController } from './auth-pages.controller';
import { AUTH_SECRET } from './auth.constants';
import { AuthController } from './auth.controller';
import { PublicEnrolmentController } from './public-enrolment.controller';
import { AuthService } from './auth.service';
import { AuthorityService } from './authority.service';
import { ApiKeysService } from './api-keys.service';
import { JwtStrategy } from './jwt.strategy';
import { LocalStrategy } from './local.strategy';
import { MemberLoginCode } from './member-login-code.entity';
import { jwtSecret } from './secrets';
import { ApiKeysController, StaffController } from './staff.controller';
import { SignInCodesPersonalData } from './sign-in-codes.personal-data';
import { StaffService } from './staff.service';
import { StaffUser } from './staff-user.entity';

const secretProvider = {
  provide: AUTH_SECRET,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => jwtSecret(config.JWT_SECRET, config.dataDir),
};

@Module({
  imports: [
    TypeOrmModule.forFeature([StaffUser, ApiKey, MemberLoginCode]),
    PassportModule,
    JwtModule.registerAsync({
      extraProviders: [secretProvider],
      inject: [AUTH_SECRET],
      useFactory: (secret: string) => ({
        secret,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => [
        { name: 'auth', ttl: 60_000, limit: config.AUTH_RATE_LIMIT_PER_MINUTE },
      ],
    }),
    AuditModule,
    MembersModule,
    MessagingModule,
    StoresModule,
  ],
  controllers: [
    AuthController,
    StaffController,
    ApiKeysController,
    AuthPagesController,
    PublicEnrolmentController,
  ],
  providers: [
    secretProvider,
    AuthService,
    AuthorityService,
    StaffService,
    ApiKeysService,
    LocalStrategy,
    JwtStrategy,
    SignInCodesPersonalData,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, StaffService, ApiKeysService],
})
export class AuthModule {}
