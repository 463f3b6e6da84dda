export { SettingsModule } from './settings.module';
export { SettingsService } from './settings.service';
export type { CategoryRow } from './settings.repository';
export type { ComplaintDeadline, ProgrammeSettings } from './programme-settings';
export { SettingsError, SettingsErrorCode } from './settings.errors';
