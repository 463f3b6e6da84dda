import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ContactKey, ErasureNote, PersonalDataRegistry } from '../../common';
import type { Tx } from '../../database';
import { CasesRepository } from './cases.repository';
import { CasesRegistrations, exportedCase } from './cases-registrations';

/** What erasure writes over a case's free texts (as a member's erasure does). */
const ERASED = '—';

/**
 * Cases filed without signing in (a complaint form, a call, an incident for a contact's low
 * score) hold the filer's name, email and phone: exported and erased by `/api/contacts/*`,
 * with the documents filed on them (as a member's are, legal holds kept).
 */
@Injectable()
export class CaseContacts implements OnModuleInit {
  constructor(
    private readonly repo: CasesRepository,
    private readonly registrations: CasesRegistrations,
    private readonly personalData: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    this.personalData.registerContact({
      category: 'cases',
      export: (reader, key) => this.export(reader, key),
      erase: (tx, key) => this.erase(tx, key),
    });
  }

  async export(reader: EntityManager, key: ContactKey) {
    const rows = await this.repo.forContact(reader, key);
    return {
      cases: await Promise.all(rows.map((c) => exportedCase(this.repo, reader, c))),
      documents: await this.registrations.exportDocumentsOfCases(
        reader,
        rows.map((c) => c.id),
      ),
    };
  }

  async erase(tx: Tx, key: ContactKey): Promise<{ erased: number } & ErasureNote> {
    const ids = (await this.repo.forContact(tx, key)).map((c) => c.id);
    if (!ids.length) return { erased: 0 };
    await this.repo.eraseTexts(tx, ids, ERASED);
    const note = await this.registrations.eraseDocumentsOfCases(tx, ids);
    return { erased: ids.length, ...note };
  }
}
