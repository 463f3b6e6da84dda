import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LoggerService, RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from './config';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,80}$/;

/**
 * A caller's X-Request-Id when it is sane, else a new one. Fastify's `genReqId` (the request's
 * `id`, echoed on every response by a hook in app.setup.ts); pino-http reuses that id.
 */
export function requestId(req: IncomingMessage & { id?: unknown }): string {
  if (typeof req.id === 'string') return req.id;
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * JSON logs with the request id on every line. No bodies, no query strings (they can carry an
 * email or a phone), no credentials.
 */
export function loggerOptions(config: AppConfig, destination?: DestinationStream): Params {
  const options: Params['pinoHttp'] = {
    level: config.LOG_LEVEL,
    genReqId: (req) => requestId(req),
    customProps: (req) => ({ requestId: (req as IncomingMessage & { id?: string }).id }),
    autoLogging: {
      ignore: (req) => {
        // @fastify/middie hands the middleware a url stripped of the mount path; it keeps the
        // request's own in originalUrl.
        const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url;
        return url === '/health' || (url ?? '').startsWith('/assets/');
      },
    },
    serializers: {
      req: (req: { id?: string; method?: string; url?: string }) => ({
        id: req.id,
        method: req.method,
        path: maskPath((req.url ?? '').split('?')[0]),
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    redact: { paths: ['req.headers', 'res.headers'], remove: true },
  };
  return {
    pinoHttp: destination ? [options, destination] : options,
    // nestjs-pino's default route, '{/*splat}', reaches @fastify/middie as '/{/*splat}', which
    // matches '/' only: every request would go unlogged.
    forRoutes: [{ path: '/{*splat}', method: RequestMethod.ALL }],
  };
}

/** Words of PassKit paths; every other segment there (device ids, serials) is masked. */
const PASSKIT_WORDS = new Set(['', 'passkit', 'v1', 'devices', 'registrations', 'passes', 'log']);

/**
 * A path as the request log keeps it (issue 13): wallet device library ids and pass serials
 * identify a member's phone and card, and survey links are secrets, so those segments are masked.
 */
export function maskPath(path: string): string {
  if (path.startsWith('/passkit/'))
    return path
      .split('/')
      .map((seg) => (PASSKIT_WORDS.has(seg) || seg.startsWith('pass.') ? seg : '***'))
      .join('/');
  if (path.startsWith('/s/')) return '/s/***';
  return path;
}

/** Nest's start-up contexts that log one line per controller and per route. */
const ROUTE_CONTEXTS = new Set(['RoutesResolver', 'RouterExplorer']);

/**
 * The application logger, with Nest's "Mapped {/api/…, GET} route" lines (one per route, a few
 * hundred at start) at debug instead of info: `LOG_LEVEL=debug` shows them.
 */
export function withRoutesAtDebug(logger: LoggerService): LoggerService {
  const isRoute = (params: unknown[]) => ROUTE_CONTEXTS.has(String(params[params.length - 1]));
  return {
    log: (message: unknown, ...params: unknown[]) =>
      isRoute(params) ? logger.debug?.(message, ...params) : logger.log(message, ...params),
    error: (message: unknown, ...params: unknown[]) => logger.error(message, ...params),
    warn: (message: unknown, ...params: unknown[]) => logger.warn(message, ...params),
    debug: (message: unknown, ...params: unknown[]) => logger.debug?.(message, ...params),
    verbose: (message: unknown, ...params: unknown[]) => logger.verbose?.(message, ...params),
    fatal: (message: unknown, ...params: unknown[]) => logger.fatal?.(message, ...params),
  };
}
