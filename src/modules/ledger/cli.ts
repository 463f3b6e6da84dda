import type { INestApplicationContext } from '@nestjs/common';
import { LedgerCheckService } from './ledger-check.service';
import { LedgerJobsService } from './ledger-jobs.service';

type Say = (m: string) => void;

/** `[#######.............]  35%  3500/10000` for a terminal (stderr), redrawn in place. */
export function progressBar(done: number, total: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%  ${done}/${total}`;
}

/** `npm run ledger:check`: invariant 1 for every member; non-zero exit on any difference. */
export async function runLedgerCheck(app: INestApplicationContext, say: Say): Promise<number> {
  const started = Date.now();
  const tty = process.stderr.isTTY;
  let lastDraw = 0;
  const result = await app.get(LedgerCheckService).check((done, total) => {
    const now = Date.now();
    if (done < total && now - lastDraw < 100) return;
    lastDraw = now;
    process.stderr.write(tty ? `\r${progressBar(done, total)}` : `${progressBar(done, total)}\n`);
  });
  if (tty) process.stderr.write('\n');
  for (const m of result.mismatches.slice(0, 50)) {
    say(
      `MISMATCH member ${m.memberId}: ${m.problem} (account ${m.account.balance}/${m.account.pending}, ` +
        `entries ${m.entries.balance}/${m.entries.pending}, lots ${m.lots.balance}/${m.lots.pending}; balance/pending)`,
    );
  }
  if (result.mismatches.length > 50) say(`… and ${result.mismatches.length - 50} more`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say(
    `ledger check: ${result.members} member account(s), ${result.mismatches.length} mismatch(es), ${seconds} s` +
      (result.mismatches.length ? ' — FAILED' : ' — OK'),
  );
  return result.mismatches.length ? 1 : 0;
}

/** `npm run ledger:expire`: the release and expiry jobs once, now (idempotent). */
export async function runLedgerExpire(app: INestApplicationContext, say: Say): Promise<number> {
  const r = await app.get(LedgerJobsService).runDueJobs();
  say(
    `points jobs: ${r.released} lot(s) released, ${r.expired} lot(s) expired, ${r.members} member(s)`,
  );
  return 0;
}
