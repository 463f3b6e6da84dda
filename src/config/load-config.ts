import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import { AppConfig } from './app-config';

export class ConfigError extends Error {}

/**
 * Builds the config from the environment (and `.env` in the working directory, if any), with
 * optional overrides for tests. Throws ConfigError naming every bad variable.
 */
export function loadConfig(
  overrides: Record<string, unknown> = {},
  env: Record<string, string | undefined> = readEnvironment(),
): AppConfig {
  const known = configKeys();
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && known.has(key)) raw[key] = value;
  }
  Object.assign(raw, overrides);
  // Demo accounts have known passwords: none in production unless asked for (issue 13).
  if (raw.SEED_DEMO === undefined || raw.SEED_DEMO === '')
    raw.SEED_DEMO = raw.NODE_ENV === 'production' ? 'false' : 'true';
  const config = plainToInstance(AppConfig, raw, { excludeExtraneousValues: false });
  const errors = validateSync(config, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (e) =>
        `  ${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}

/** The variable names AppConfig declares (every one carries a validator). */
export function configKeys(): Set<string> {
  const metas = getMetadataStorage().getTargetValidationMetadatas(AppConfig, '', true, false);
  return new Set(metas.map((m) => m.propertyName));
}

function readEnvironment(): Record<string, string | undefined> {
  const envFile = resolve('.env');
  if (existsSync(envFile) && process.env.NODE_ENV !== 'test') process.loadEnvFile(envFile);
  return process.env;
}
