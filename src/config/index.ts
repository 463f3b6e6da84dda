export { AppConfig, ConfigError, loadConfig, configKeys } from './app-config';
export { ConfigModule } from './config.module';
