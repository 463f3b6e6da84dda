import 'reflect-metadata';
import { resolve } from 'node:path';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  Matches,
  IsOptional,
  IsString,
  IsUrl,
  IsNotEmpty,
  ValidateIf,
  Max,
  Min,
  MinLength,
} from 'class-validator';

const text = (value: unknown) =>
  typeof value === 'string' ? value.trim().toLowerCase() : undefined;
const toBool = ({ value }: { value: unknown }) => {
  const v = text(value);
  if (v === undefined) return value;
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  return value;
};
const toInt = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  return typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
};

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

  /**
   * Seed demo data (stores, staff with known passwords, members) into an empty database. Unset:
   * on, except when NODE_ENV=production (issue 13, defect 14; resolved in loadConfig).
   */
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

  /**
   * Programme secret that signs the static card codes (FDL1). Generated and kept in DATA_DIR when
   * unset. Changing it invalidates every printed code and wallet pass.
   */
  @IsOptional()
  @IsString()
  @MinLength(32)
  CARD_CODE_SECRET?: string;

  /** Apple Wallet Pass Type ID (the signer certificate's UID). */
  @IsString()
  APPLE_PASS_TYPE_ID = 'pass.org.fidelia.loyalty';

  /** Apple Developer Team ID (the signer certificate's OU). */
  @IsString()
  APPLE_TEAM_ID = 'FIDELIATST';

  /**
   * PEM files of the Pass Type ID certificate, its private key (optionally encrypted with
   * APPLE_PASS_KEY_PASSPHRASE) and the Apple WWDR intermediate that issued it. When none is set a
   * local test CA is made under DATA_DIR/passes (passes then do not install on real devices).
   */
  @IsOptional()
  @IsString()
  APPLE_PASS_CERT?: string;

  @IsOptional()
  @IsString()
  APPLE_PASS_KEY?: string;

  @IsOptional()
  @IsString()
  APPLE_PASS_KEY_PASSPHRASE?: string;

  @IsOptional()
  @IsString()
  APPLE_WWDR_CERT?: string;

  /** Push wallet pass updates to Apple devices (APNs over HTTP/2, mutual TLS with the pass certificate). */
  @Transform(toBool)
  @IsBoolean()
  APNS_ENABLED = false;

  /** APNs origin; Wallet passes use production only. */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https'] })
  APNS_URL = 'https://api.push.apple.com';

  /** Extra CA (PEM path) to trust for APNs: only for a local APNs stand-in. */
  @IsOptional()
  @IsString()
  APNS_CA?: string;

  /** Google Wallet issuer id (Pay & Wallet Console); a test id is used when unset. */
  @IsString()
  GOOGLE_WALLET_ISSUER_ID = '3388000000000000000';

  /** Google service-account JSON key file; a dev key is generated in DATA_DIR when unset. */
  @IsOptional()
  @IsString()
  GOOGLE_WALLET_SERVICE_ACCOUNT?: string;

  /** Programme name shown on wallet passes. */
  @IsString()
  PROGRAMME_NAME = 'Fidelia';

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

  /** Points stay pending this many days after a purchase (the return window); 0 = at once. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(365)
  POINTS_RETURN_WINDOW_DAYS = 0;

  /** Earned points expire this many months after they are earned; 0 = never. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(120)
  POINTS_EXPIRY_MONTHS = 24;

  /** Round each expiry up to the end of its month (UTC), so points expire once a month. */
  @Transform(toBool)
  @IsBoolean()
  POINTS_EXPIRY_MONTH_END = true;

  /** Base rate: points per whole euro paid (not counting the part paid with points). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1000)
  POINTS_PER_EURO = 1;

  /** A referral counts only for a member enrolled this many days ago at most, before any purchase. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(365)
  REFERRAL_WINDOW_DAYS = 30;

  /** Value of one point as a discount, in cents (1: 100 points = 1 EUR). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  POINT_VALUE_CENTS = 1;

  /** Spending points needs the rotating code (web card, Google Wallet), not the number or static code. */
  @Transform(toBool)
  @IsBoolean()
  REDEMPTION_REQUIRES_ROTATING_CODE = false;

  // ---- cases module: complaints, SLA deadlines, documents ----

  /** Legal deadline for complaints: `15wd` (Ley 10/2025, 15 working days) or `1m` (one month). */
  @IsIn(['15wd', '1m'])
  COMPLAINT_DEADLINE: '15wd' | '1m' = '15wd';

  /** Public complaints accepted per hour from one address and for one email. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  COMPLAINT_RATE_LIMIT_PER_HOUR = 5;

  /** Largest document accepted, in bytes (a larger one is a 413, nothing stored). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(100 * 1024 * 1024)
  DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;

  /** Where document files are kept; DATA_DIR/documents when unset. */
  @IsOptional()
  @IsString()
  DOCUMENTS_DIR?: string;

  /** Address told when a case passes 80 % of its time or breaches (besides the desk). */
  @IsOptional()
  @IsEmail()
  SUPERVISOR_NOTIFY_EMAIL?: string;

  /** Where document bytes go: `local` (DOCUMENTS_DIR) or `s3` (an S3-compatible bucket). */
  @IsIn(['local', 's3'])
  DOCUMENTS_STORAGE: 'local' | 's3' = 'local';

  /** S3 endpoint; unset: AWS's for the region (`https://s3.<region>.amazonaws.com`). */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  DOCUMENTS_S3_ENDPOINT?: string;

  @ValidateIf((c: AppConfig) => c.DOCUMENTS_STORAGE === 's3')
  @IsString()
  @IsNotEmpty()
  DOCUMENTS_S3_BUCKET?: string;

  @IsString()
  @Matches(/^[a-z0-9-]+$/)
  DOCUMENTS_S3_REGION = 'us-east-1';

  @ValidateIf((c: AppConfig) => c.DOCUMENTS_STORAGE === 's3')
  @IsString()
  @IsNotEmpty()
  DOCUMENTS_S3_ACCESS_KEY_ID?: string;

  @ValidateIf((c: AppConfig) => c.DOCUMENTS_STORAGE === 's3')
  @IsString()
  @IsNotEmpty()
  DOCUMENTS_S3_SECRET_ACCESS_KEY?: string;

  /** `endpoint/bucket/key` (MinIO) instead of `bucket.endpoint/key` (AWS, Scaleway). */
  @Transform(toBool)
  @IsBoolean()
  DOCUMENTS_S3_PATH_STYLE = false;

  /** Prepended to every object key (e.g. `fidelia/`), to share a bucket. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._\/-]*$/)
  DOCUMENTS_S3_PREFIX?: string;

  // ---- end of cases module settings ----

  // --- follow-up and satisfaction (modules followup, satisfaction) ---------------------------

  /** How often the follow-up scheduler looks for due tasks, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  FOLLOWUP_TICK_SECONDS = 30;

  /** Due tasks one scheduler claims per transaction. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  FOLLOWUP_BATCH_SIZE = 500;

  /** An agent's claim on a call task lapses after this many minutes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1440)
  FOLLOWUP_CLAIM_MINUTES = 20;

  /** Goodwill points an agent may give on one call (403 above, with the cap). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  FOLLOWUP_GOODWILL_CAP_AGENT = 200;

  /** Goodwill points a supervisor may give on one call. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  FOLLOWUP_GOODWILL_CAP_SUPERVISOR = 2000;

  /** A survey link stays valid this many days. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  SURVEY_TTL_DAYS = 14;

  /** Survey answers and page loads allowed per client address per minute. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SURVEY_RATE_LIMIT_PER_MINUTE = 30;

  // ---- messaging module: outbox dispatch, email (SMTP), SMS (HTTP provider), opt-out links

  /** SMTP server, e.g. smtp://user:pass@mail.example.com:587 (smtps:// for TLS). Unset: .eml files under DATA_DIR/outbox. */
  @IsOptional()
  @IsString()
  SMTP_URL?: string;

  /** Sender of every email. */
  @IsString()
  MAIL_FROM = 'Fidelia <no-reply@localhost>';

  /** SMS provider endpoint (JSON POST, see docs/messaging.md). Unset: SMS are written as files under DATA_DIR/outbox. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  SMS_URL?: string;

  /** Bearer token sent to the SMS provider, and expected on its inbound (opt-out) webhook. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  SMS_TOKEN?: string;

  /** Signs opt-out links. Generated and kept in DATA_DIR when unset. */
  @IsOptional()
  @IsString()
  @MinLength(32)
  MESSAGING_SECRET?: string;

  /** How often the dispatcher looks for due messages (a commit that queues one also nudges it). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  OUTBOX_TICK_SECONDS = 10;

  /** Attempts before a message is marked failed; retries wait 1, 2, 4 … minutes (capped at 4 h). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  OUTBOX_MAX_ATTEMPTS = 6;

  /**
   * Whether this instance sends the outbox (on its tick and after each commit that queued a
   * message). `false` for an instance that only writes messages (a dedicated scheduler, a bench
   * worker); tests never send on their own either way.
   */
  @Transform(toBool)
  @IsBoolean()
  OUTBOX_SEND = true;

  // ---- reports module

  /** The organisation's time zone: report periods without a store are cut at its midnights. */
  @IsString()
  REPORTS_TIME_ZONE = 'Europe/Madrid';

  /** A group is compared in the report's conclusions only with at least this many answers. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  REPORTS_MIN_GROUP_RESPONSES = 5;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  // --- hardening (issue 13) ------------------------------------------------------------------

  /**
   * Which proxies may set X-Forwarded-For (the client address used for rate limits and the
   * audit trail): `false` (none: the socket's address), `true` (any — only behind a proxy that
   * overwrites the header), or addresses/CIDRs separated by commas (`loopback`, `10.0.0.0/8`).
   */
  @IsString()
  @Matches(/^(false|true|[0-9A-Za-z.:/, -]+)$/)
  TRUST_PROXY = 'false';

  /** Failed staff sign-ins allowed per account within 15 minutes, from any address. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SIGN_IN_FAILURES_PER_ACCOUNT = 10;

  /** One-time codes sent per member email within 15 minutes (guesses are 5 per window in all). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  MEMBER_CODES_PER_WINDOW = 3;

  /**
   * Public answers that could tell whether an email is enrolled (code request, code sign-in,
   * self-service enrolment) take at least this long, known email or not (issue 13, defect 9).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(5000)
  PUBLIC_ANSWER_FLOOR_MS = 100;

  /** Fastify's trustProxy for TRUST_PROXY. */
  get trustProxy(): boolean | string {
    const v = this.TRUST_PROXY.trim();
    if (v === 'false' || v === '') return false;
    if (v === 'true') return true;
    return v;
  }

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
