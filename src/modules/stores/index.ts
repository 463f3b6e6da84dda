export { StoresModule } from './stores.module';
export { StoresService, StoresError, StoresErrorCode } from './stores.service';
export type { Store } from './store.entity';
