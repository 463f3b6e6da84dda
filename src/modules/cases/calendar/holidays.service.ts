import { Injectable } from '@nestjs/common';
import { isUniqueViolation, TransactionRunner } from '../../../database';
import { Principal } from '../../../common';
import { AuditService } from '../../audit';
import { CasesError, CasesErrorCode, invalidCase } from '../cases.errors';
import { CasesRepository } from '../cases.repository';
import { SlaService } from '../sla.service';
import { HolidayRow, HolidayScope, HolidaysRepository } from './holidays.repository';
import { isLocalDate } from './local-time';

export interface HolidayInput {
  date: string;
  scope: HolidayScope;
  region?: string | null;
  locality?: string | null;
  name: string;
  source?: string | null;
}

const notFound = () =>
  new CasesError('not_found', CasesErrorCode.HolidayNotFound, 'holiday not found');

/**
 * The holiday calendar admins keep: regional and local days (national ones are seeded per year
 * and may be switched off). Every change re-plans the unfinished cases whose window it touches.
 */
@Injectable()
export class HolidaysService {
  constructor(
    private readonly repo: HolidaysRepository,
    private readonly cases: CasesRepository,
    private readonly sla: SlaService,
    private readonly audit: AuditService,
    private readonly runner: TransactionRunner,
  ) {}

  list(f: { year?: number; region?: string; scope?: HolidayScope }) {
    return this.repo.list(this.runner.reader, f).then((items) => ({ items }));
  }

  async create(
    input: HolidayInput,
    principal: Principal,
  ): Promise<HolidayRow & { replanned: number }> {
    if (!isLocalDate(input.date)) throw invalidCase('date', 'must be a date YYYY-MM-DD');
    const region = input.scope === 'national' ? null : (input.region ?? null);
    const locality = input.scope === 'local' ? (input.locality?.trim() ?? null) : null;
    if (input.scope !== 'national' && !region)
      throw invalidCase(
        'region',
        `a ${input.scope} holiday needs a region (ISO 3166-2, e.g. ES-MD)`,
      );
    if (input.scope === 'local' && !locality)
      throw invalidCase('locality', 'a local holiday needs a locality');
    return this.runner.run(async (tx) => {
      let row: HolidayRow;
      try {
        row = await this.repo.insert(tx, {
          date: input.date,
          scope: input.scope,
          region,
          locality,
          name: input.name.trim(),
          source: input.source ?? null,
        });
      } catch (err) {
        if (isUniqueViolation(err))
          throw new CasesError(
            'conflict',
            CasesErrorCode.HolidayExists,
            'this holiday is already in the calendar',
            [{ field: 'date', reason: 'already a holiday for this place' }],
          );
        throw err;
      }
      await this.audit.log(tx, {
        principal,
        action: 'holiday.create',
        entity: 'holiday',
        entityId: row.id,
        details: { date: row.date, scope: row.scope, region },
      });
      const replanned = await this.replan(tx, row);
      return { ...row, replanned };
    });
  }

  async update(
    id: string,
    fields: { name?: string; active?: boolean; source?: string | null },
    principal: Principal,
  ): Promise<HolidayRow & { replanned: number }> {
    return this.runner.run(async (tx) => {
      const row = await this.repo.update(tx, id, fields);
      if (!row) throw notFound();
      await this.audit.log(tx, {
        principal,
        action: 'holiday.update',
        entity: 'holiday',
        entityId: id,
        details: { fields: Object.keys(fields) },
      });
      const replanned = 'active' in fields ? await this.replan(tx, row) : 0;
      return { ...row, replanned };
    });
  }

  async remove(id: string, principal: Principal): Promise<{ id: string; replanned: number }> {
    return this.runner.run(async (tx) => {
      const row = await this.repo.delete(tx, id);
      if (!row) throw notFound();
      await this.audit.log(tx, {
        principal,
        action: 'holiday.delete',
        entity: 'holiday',
        entityId: id,
        details: { date: row.date },
      });
      return { id, replanned: await this.replan(tx, row) };
    });
  }

  /** Due dates again for the unfinished cases of the holiday's place around its date. */
  private async replan(tx: Parameters<SlaService['recompute']>[0], h: HolidayRow): Promise<number> {
    const ids = await this.cases.affectedBy(tx, h.date, { region: h.region, locality: h.locality });
    for (const { id } of ids) {
      const c = await this.cases.lock(tx, id);
      if (c) await this.sla.recompute(tx, c);
    }
    return ids.length;
  }
}
