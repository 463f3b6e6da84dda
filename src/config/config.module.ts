import { Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';

/** Provides the AppConfig built at boot (main.ts, the CLI, or a test) to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig) {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
