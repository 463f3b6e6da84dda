import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal, StaffRole } from '../../common';
import { isUniqueViolation, TransactionRunner } from '../../database';
import { AuditService } from '../audit';
import { StoresService } from '../stores';
import { AuthError, AuthErrorCode } from './auth.errors';
import { AuthorityService } from './authority.service';
import { CreateStaffDto, UpdateStaffDto } from './dto/staff.dto';
import { hashPassword, verifyPassword } from './secrets';
import { StaffUser } from './staff-user.entity';

@Injectable()
export class StaffService {
  private readonly logger = new Logger('Staff');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly stores: StoresService,
    private readonly audit: AuditService,
    private readonly authority: AuthorityService,
  ) {}

  list(): Promise<StaffUser[]> {
    return this.dataSource.manager.find(StaffUser, { order: { email: 'ASC' } });
  }

  async get(id: string): Promise<StaffUser> {
    const user = await this.dataSource.manager.findOne(StaffUser, { where: { id } });
    if (!user) throw new AuthError('not_found', AuthErrorCode.NotFound, 'staff user not found');
    return user;
  }

  async count(): Promise<number> {
    return this.dataSource.manager.count(StaffUser);
  }

  async create(dto: CreateStaffDto, principal?: Principal): Promise<StaffUser> {
    if (dto.storeId) await this.stores.get(dto.storeId);
    const passwordHash = await hashPassword(dto.password);
    return this.transactions.run(async (em) => {
      try {
        const user = await em.save(
          em.create(StaffUser, {
            email: dto.email.trim(),
            name: dto.name,
            passwordHash,
            roles: dto.roles,
            storeId: dto.storeId ?? null,
            active: true,
          }),
        );
        await this.audit.log(em, {
          principal,
          action: 'staff.create',
          entity: 'staff_user',
          entityId: user.id,
          details: { roles: dto.roles },
        });
        delete (user as Partial<StaffUser>).passwordHash;
        return user;
      } catch (err) {
        if (isUniqueViolation(err, 'staff_users_email_key')) {
          throw new AuthError(
            'conflict',
            AuthErrorCode.EmailTaken,
            'a staff user with this email exists',
            [{ field: 'email', reason: 'already used' }],
          );
        }
        throw err;
      }
    });
  }

  async update(id: string, dto: UpdateStaffDto, principal?: Principal): Promise<StaffUser> {
    if (dto.storeId) await this.stores.get(dto.storeId);
    const passwordHash = dto.password ? await hashPassword(dto.password) : undefined;
    const updated = await this.transactions.run(async (em) => {
      const user = await em.findOne(StaffUser, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!user) throw new AuthError('not_found', AuthErrorCode.NotFound, 'staff user not found');
      if (dto.name !== undefined) user.name = dto.name;
      if (dto.roles !== undefined) user.roles = dto.roles;
      if (dto.storeId !== undefined) user.storeId = dto.storeId;
      if (dto.active !== undefined) user.active = dto.active;
      if (passwordHash) user.passwordHash = passwordHash;
      // A new password or a deactivation ends every session issued before (issue 13).
      if (passwordHash || dto.active === false) user.tokenVersion += 1;
      await em.save(user);
      await this.audit.log(em, {
        principal,
        action: 'staff.update',
        entity: 'staff_user',
        entityId: id,
        details: { fields: Object.keys(dto) },
      });
      delete (user as Partial<StaffUser>).passwordHash;
      return user;
    });
    // After the commit, so that a request in between cannot cache the account as it was.
    this.authority.forgetStaff(id);
    return updated;
  }

  /** With credentials: the user if active and the password matches, else undefined. */
  async findForLogin(email: string): Promise<StaffUser | null> {
    return this.dataSource.manager
      .createQueryBuilder(StaffUser, 'u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email: email.trim() })
      .getOne();
  }

  /** Whether an active user signs in with this email and password (the demo-password check). */
  async passwordWorks(email: string, password: string): Promise<boolean> {
    const user = await this.findForLogin(email);
    return !!user?.active && (await verifyPassword(user.passwordHash, password));
  }

  async touchLogin(tx: EntityManager, id: string): Promise<void> {
    await tx.update(StaffUser, { id }, { lastLoginAt: new Date() });
  }

  /** BOOTSTRAP_ADMIN_*: the first admin, created only while no staff user exists. */
  async bootstrapAdmin(email: string, password: string): Promise<boolean> {
    if ((await this.count()) > 0) return false;
    await this.create({ email, name: 'Administrator', password, roles: ['admin'] as StaffRole[] });
    this.logger.log(`created the first admin (${email})`);
    return true;
  }
}
