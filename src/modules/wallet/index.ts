export { WalletModule } from './wallet.module';
export { PasskitService } from './passkit.service';
export type { ServedPass } from './passkit.service';
export { GoogleWalletService } from './google-wallet.service';
export type { GoogleWalletSave } from './google-wallet.service';
export { WalletError, WalletErrorCode } from './wallet.errors';
