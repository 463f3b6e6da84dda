import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
  getMetadataStorage,
  validateSync,
} from 'class-validator';

const toBool = ({ value }: { value: unknown }) =>
  value === undefined || typeof value === 'boolean'
    ? value
    : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase())
      ? true
      : ['0', 'false', 'no', 'off', ''].includes(String(value).toLowerCase())
        ? false
        : value;
const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : /^-?\d+$/.test(String(value))
      ? Number(value)
      : value;

/**
 * Every setting Fidelia reads from its environment, validated once at boot. Nothing else in the
 * code reads process.env: inject AppConfig instead. `.env.example` documents each variable.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Loopback by default: set 0.0.0.0 behind a reverse proxy in production. */
  @IsString()
  HOST = '127.0.0.1';

  /** Public base URL used in links (surveys, receipts, wallet passes). Defaults to http://localhost:PORT. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  PUBLIC_URL?: string;

  /** An external PostgreSQL; when unset an embedded server is started under DATA_DIR. */
  @IsOptional()
  @IsString()
  DATABASE_URL?: string;

  @IsString()
  DATA_DIR = './.data';

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT?: number;

  @Transform(toBool)
  @IsBoolean()
  RUN_MIGRATIONS = true;

  @Transform(toBool)
  @IsBoolean()
  SEED_DEMO = true;

  @IsOptional()
  @IsEmail()
  BOOTSTRAP_ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(10)
  BOOTSTRAP_ADMIN_PASSWORD?: string;

  /** HMAC secret for staff and member tokens. Generated and kept in DATA_DIR when unset. */
  @IsOptional()
  @IsString()
  @MinLength(32)
  JWT_SECRET?: string;

  /** Staff access token lifetime in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(30)
  JWT_TTL_SECONDS = 900;

  /** Member session lifetime in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(30)
  MEMBER_TOKEN_TTL_SECONDS = 3600;

  /** Sign-in attempts (password or one-time code) allowed per client per minute. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_PER_MINUTE = 10;

  /** Under this age, enrolment needs a guardian (LOPDGDD art. 7). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(21)
  MEMBER_MIN_AGE = 14;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  get publicUrl(): string {
    return (this.PUBLIC_URL ?? `http://localhost:${this.PORT}`).replace(/\/$/, '');
  }

  get dataDir(): string {
    return resolve(this.DATA_DIR);
  }

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }
}

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
