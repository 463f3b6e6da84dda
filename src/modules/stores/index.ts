export { StoresModule } from './stores.module';
export { StoresService, StoresError, StoresErrorCode } from './stores.service';
export { Store } from './store.entity';
export { isTimeZone } from './time-zone.validator';
