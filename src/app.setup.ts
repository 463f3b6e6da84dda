import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { join } from 'node:path';
import { createValidationPipe, HttpExceptionFilter, templatesDir } from './common';
import { AppConfig } from './config';
import { AppModule, AppModuleOptions } from './app.module';
import { requestId } from './logging';
import { VENDOR_ASSETS } from './vendor-assets';

/** The HTTP application as main.ts serves it; tests build theirs through this too. */
export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  options: AppModuleOptions & { logger?: false } = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, databaseUrl, options),
    {
      bufferLogs: true,
      bodyParser: false,
      ...(options.logger === false ? { logger: false } : {}),
    },
  );
  configureApp(app, config);
  return app;
}

/** Everything the application needs around its controllers: ids, headers, parsing, errors, docs. */
function configureApp(app: NestExpressApplication, config: AppConfig): void {
  // First of all, so that even a body that fails to parse gets a request id in its error.
  app.use((req: Request & { id?: string }, res: Response, next: NextFunction) => {
    req.id = requestId(req, res);
    next();
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // No ETag hashing of every response body: API answers are not cached (pages say no-store, and
  // the wallet pass endpoints send their own content ETag).
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
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
    }),
  );
  app.use(cookieParser());
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { extended: false, limit: '1mb' });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useStaticAssets(join(templatesDir(), 'assets'), {
    prefix: '/assets/',
    maxAge: config.isProduction ? '1d' : 0,
  });
  for (const asset of VENDOR_ASSETS) {
    app.useStaticAssets(asset.dir, { prefix: asset.prefix, maxAge: '1d', index: false });
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
