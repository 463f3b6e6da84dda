/**
 * `npm run bench:reports`: the satisfaction report over 1,000,000 responses (reports.bench) and
 * search over 1,000,000 members (search.bench), each in its own process with its own database,
 * then one last line `reports: report_ms=N search_p95_ms=N`. Arguments go to both
 * (e.g. `--responses 100000`, `--members 100000`).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

function run(script: string): string {
  const res = spawnSync(process.execPath, [join(__dirname, script), ...process.argv.slice(2)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(res.stdout);
  if (res.status !== 0) throw new Error(`${script} exited with ${res.status}`);
  return res.stdout;
}

function figure(output: string, name: string): string | undefined {
  return new RegExp(`${name}=([0-9.]+)`).exec(output)?.[1];
}

const report = figure(run('reports.bench.js'), 'report_ms');
const search = figure(run('search.bench.js'), 'search_p95_ms');
console.log(`reports: report_ms=${report ?? 'n/a'} search_p95_ms=${search ?? 'n/a'}`);
