export { AuthModule } from './auth.module';
export { AuthService } from './auth.service';
export { StaffService } from './staff.service';
export { ApiKeysService } from './api-keys.service';
export { AuthError, AuthErrorCode } from './auth.errors';
