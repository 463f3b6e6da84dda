import type { LoggerService } from '@nestjs/common';
import { withRoutesAtDebug } from './logging';

describe('withRoutesAtDebug', () => {
  const calls: [string, unknown[]][] = [];
  const record =
    (level: string) =>
    (...args: unknown[]) =>
      void calls.push([level, args]);
  const inner: LoggerService = {
    log: record('log'),
    error: record('error'),
    warn: record('warn'),
    debug: record('debug'),
    verbose: record('verbose'),
  };
  const logger = withRoutesAtDebug(inner);

  beforeEach(() => (calls.length = 0));

  it.each([
    ['Mapped {/api/members, GET} route', 'RouterExplorer', 'debug'],
    ['MembersController {/api/members}:', 'RoutesResolver', 'debug'],
    ['Nest application successfully started', 'NestApplication', 'log'],
    ['AppModule dependencies initialized', 'InstanceLoader', 'log'],
  ])('%s (%s) goes to %s', (message, context, level) => {
    logger.log(message, context);
    expect(calls).toEqual([[level, [message, context]]]);
  });

  it('passes warnings and errors through unchanged', () => {
    logger.warn('w', 'RouterExplorer');
    logger.error('e', 'trace', 'Ctx');
    expect(calls).toEqual([
      ['warn', ['w', 'RouterExplorer']],
      ['error', ['e', 'trace', 'Ctx']],
    ]);
  });
});
