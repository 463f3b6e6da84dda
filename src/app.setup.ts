import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type {
  FastifyBodyParser,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import { Logger } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import {
  bodyTooDeep,
  createValidationPipe,
  HttpExceptionFilter,
  jsonDepthExceeds,
  templatesDir,
} from './common';
import { AppConfig } from './config';
import { AppModule, AppModuleOptions } from './app.module';
import { requestId, withRoutesAtDebug } from './logging';
import { VENDOR_ASSETS } from './vendor-assets';

/** Largest request body (JSON or form); a larger one is a 413. */
const BODY_LIMIT = 1024 * 1024;

/** The HTTP application as main.ts serves it; tests build theirs through this too. */
export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  options: AppModuleOptions & { logger?: false } = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // The request id exists before anything can fail, so even a body that fails to parse gets
    // one in its error (and in the log line).
    genReqId: (req: IncomingMessage) => requestId(req),
    // A malformed URL (400) or an over-long path parameter (414) is refused before routing and
    // before any hook; it goes to Nest's exception layer all the same, for the JSON error shape.
    // (Nest's own handler here would add the security headers but answer in Fastify's shape.)
    frameworkErrors: (error: FastifyError, req: FastifyRequest, reply: FastifyReply) =>
      reply.server.errorHandler(error, req, reply),
    // X-Forwarded-For only from the proxies TRUST_PROXY names (none by default, issue 13):
    // a client must not pick its own address for the rate limits.
    trustProxy: config.trustProxy,
    bodyLimit: BODY_LIMIT,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, databaseUrl, options),
    adapter,
    {
      bufferLogs: true,
      bodyParser: false,
      ...(options.logger === false ? { logger: false } : {}),
    },
  );
  configureApp(app, config);
  return app;
}

/**
 * Fastify's JSON parser (prototype poisoning is an error), except that an empty body (clients
 * that set the content type on every request) is `{}`, as it was on Express, instead of a 400:
 * the validation pipe then names what is missing. A body nested deeper than MAX_JSON_DEPTH is a
 * 400 before it is parsed.
 */
function jsonParser(fastify: FastifyInstance): FastifyBodyParser<Buffer> {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  return (req, body, done) => {
    if (body.length === 0) return done(null, {});
    const text = body.toString('utf8');
    // Depth before parsing (issue 13): validation recurses over the parsed body.
    if (jsonDepthExceeds(text)) return done(bodyTooDeep(), undefined);
    void parse(req, text, done);
  };
}

/** Everything the application needs around its controllers: ids, headers, parsing, errors, docs. */
function configureApp(app: NestFastifyApplication, config: AppConfig): void {
  const fastify = app.getHttpAdapter().getInstance();
  // Echoed on every response; the id itself is `genReqId`'s (see createApp).
  fastify.addHook('onRequest', (req, reply, done) => {
    reply.header('X-Request-Id', req.id);
    done();
  });
  app.useLogger(withRoutesAtDebug(app.get(Logger)));
  // Fastify adds no X-Powered-By and hashes no ETag of response bodies: API answers are not
  // cached (pages say no-store, and the wallet pass endpoints send their own content ETag).
  app.useSecurityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:', 'mediastream:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: config.isProduction ? [] : null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });

  // JSON and forms only: Fastify's own text/plain parser goes, so any other type is a 415.
  fastify.removeContentTypeParser('text/plain');
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT }, jsonParser(fastify));
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit: BODY_LIMIT });
  // File uploads (case documents, KB attachments): the body is left unread here and read by the
  // route (readUpload, with busboy), which sets its own size limit.
  fastify.addContentTypeParser('multipart/form-data', (_req, _payload, done) => done(null));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());

  app.useStaticAssets({
    root: join(templatesDir(), 'assets'),
    prefix: '/assets/',
    maxAge: config.isProduction ? '1d' : 0,
  });
  for (const asset of VENDOR_ASSETS) {
    // A route per file found at start (the folders are installed packages): a folder or a
    // missing file is a plain 404. Only the /assets/ registration adds reply.sendFile().
    app.useStaticAssets({
      root: asset.dir,
      prefix: asset.prefix,
      maxAge: '1d',
      index: false,
      wildcard: false,
      decorateReply: false,
    });
  }

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Fidelia API')
      .setDescription(
        'Loyalty and post-sale customer care. Errors: { statusCode, error, message, details[] }.',
      )
      .setVersion('1')
      .addBearerAuth()
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    yamlDocumentUrl: 'api/docs-yaml',
  });
}
