export { AppConfig } from './app-config';
export { ConfigError, loadConfig, configKeys } from './load-config';
export { ConfigModule } from './config.module';
