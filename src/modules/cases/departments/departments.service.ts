import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock, hasRole, notFound, Principal } from '../../../common';
import { TransactionRunner } from '../../../database';
import { AuditService } from '../../audit';
import {
  departmentExists,
  departmentInUse,
  departmentNotFound,
  invalidCase,
} from '../cases.errors';
import { DepartmentRow, DepartmentsRepository } from './departments.repository';

export interface DepartmentView {
  code: string;
  names: { es: string; en: string };
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const present = (d: DepartmentRow): DepartmentView => ({
  code: d.code,
  names: { es: d.name_es, en: d.name_en },
  active: d.active,
  createdAt: d.created_at,
  updatedAt: d.updated_at,
});

/** Departments (the case queues), kept by admins, and the department a staff user works in. */
@Injectable()
export class DepartmentsService {
  constructor(
    private readonly repo: DepartmentsRepository,
    private readonly runner: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(all = false): Promise<{ items: DepartmentView[] }> {
    return { items: (await this.repo.list(this.runner.reader, all)).map(present) };
  }

  async get(code: string): Promise<DepartmentView> {
    const d = await this.repo.find(this.runner.reader, code);
    if (!d) throw departmentNotFound();
    return present(d);
  }

  /**
   * A department a case may be filed to: it exists and is active (a 400 naming `field`
   * otherwise). A case already in a deactivated one keeps it.
   */
  async assertUsable(reader: EntityManager, code: string, field = 'department'): Promise<void> {
    const d = await this.repo.find(reader, code);
    if (!d) throw invalidCase(field, `no department "${code}"`);
    if (!d.active) throw invalidCase(field, `department "${code}" is inactive`);
  }

  /** A department a list may filter by, active or not (a 400 naming `department` otherwise). */
  async assertExists(code: string): Promise<void> {
    if (!(await this.repo.find(this.runner.reader, code)))
      throw invalidCase('department', `no department "${code}"`);
  }

  /** `department=mine`: the caller's own queue; a 400 when they have none. */
  async resolveQueue(code: string | undefined, principal: Principal): Promise<string | undefined> {
    if (code === undefined) return undefined;
    if (code !== 'mine') {
      await this.assertExists(code);
      return code;
    }
    const own = principal.kind === 'staff' ? await this.staffDepartment(principal.userId) : null;
    if (!own) throw invalidCase('department', 'you have no department: ask an admin for one');
    return own;
  }

  async create(
    dto: { code: string; nameEs: string; nameEn: string; active?: boolean },
    principal: Principal,
  ): Promise<DepartmentView> {
    if (dto.code === 'mine') throw invalidCase('code', '"mine" names the caller’s own queue');
    return this.runner.run(async (tx) => {
      const row = await this.repo.insert(
        tx,
        { ...dto, active: dto.active ?? true },
        this.clock.now(),
      );
      if (!row) throw departmentExists();
      await this.audit.log(tx, {
        principal,
        action: 'department.create',
        entity: 'department',
        entityId: row.code,
      });
      return present(row);
    });
  }

  async update(
    code: string,
    dto: { nameEs?: string; nameEn?: string; active?: boolean },
    principal: Principal,
  ): Promise<DepartmentView> {
    return this.runner.run(async (tx) => {
      const row = await this.repo.update(tx, code, dto, this.clock.now());
      if (!row) throw departmentNotFound();
      await this.audit.log(tx, {
        principal,
        action: 'department.update',
        entity: 'department',
        entityId: code,
        details: { fields: Object.keys(dto) },
      });
      return present(row);
    });
  }

  /** Only an unused department is deleted; one with cases or staff is deactivated instead. */
  async remove(code: string, principal: Principal): Promise<void> {
    await this.runner.run(async (tx) => {
      if (!(await this.repo.find(tx, code))) throw departmentNotFound();
      const uses = await this.repo.usage(tx, code);
      if (uses.cases || uses.staff) throw departmentInUse(uses);
      await this.repo.remove(tx, code);
      await this.audit.log(tx, {
        principal,
        action: 'department.delete',
        entity: 'department',
        entityId: code,
      });
    });
  }

  /** The caller's own queue (`department=mine`), or null when they have none. */
  staffDepartment(staffId: string): Promise<string | null> {
    return this.repo.staffDepartment(this.runner.reader, staffId);
  }

  async setStaffDepartment(
    staffId: string,
    code: string | null,
    principal: Principal,
  ): Promise<{ staffId: string; department: string | null }> {
    return this.runner.run(async (tx) => {
      const store = await this.repo.staffStore(tx, staffId);
      if (store === undefined) throw notFound('staff user');
      // A store's supervisor places only that store's staff (admins and store-less ones, anyone).
      const own = principal.kind === 'staff' ? principal.storeId : undefined;
      if (own && !hasRole(principal, 'admin') && store !== own) throw notFound('staff user');
      if (code !== null) await this.assertUsable(tx, code);
      await this.repo.setStaffDepartment(tx, staffId, code, this.clock.now());
      await this.audit.log(tx, {
        principal,
        action: 'department.assign_staff',
        entity: 'staff_user',
        entityId: staffId,
        details: { department: code },
      });
      return { staffId, department: code };
    });
  }
}
