import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ContactKey } from '../../common';
import type { Tx } from '../../database';
import type { AttemptRow, ContactRow } from './followup-rows';

/**
 * SQL of a contact's export and erasure by email or phone (the personal-data contributions):
 * the contacts, their tasks and attempts, and the redaction.
 */
@Injectable()
export class FollowupContactDataRepository {
  /** Contacts that left this email (any case) or this E.164 phone. */
  async contactsByKey(reader: EntityManager, key: ContactKey): Promise<ContactRow[]> {
    return reader.query(
      `SELECT * FROM followup_contacts
        WHERE ($1::text IS NOT NULL AND lower(email) = lower($1)) OR ($2::text IS NOT NULL AND phone = $2)
        ORDER BY created_at`,
      [key.email, key.phone],
    );
  }

  async tasksOfContacts(reader: EntityManager, contactIds: string[]) {
    return reader.query(
      `SELECT id, plan_id AS "planId", contact_id AS "contactId", status, channel,
              due_at AS "dueAt", last_outcome AS "lastOutcome", created_at AS "createdAt"
         FROM followup_tasks WHERE contact_id = ANY($1::uuid[]) ORDER BY created_at`,
      [contactIds],
    );
  }

  async attemptsOfContacts(reader: EntityManager, contactIds: string[]): Promise<AttemptRow[]> {
    return reader.query(
      `SELECT * FROM contact_attempts WHERE contact_id = ANY($1::uuid[]) ORDER BY created_at`,
      [contactIds],
    );
  }

  /**
   * Erasure of contacts: their name, email and phone, the till's ticket number and the agents'
   * notes and goodwill reasons go; purchases' totals, tasks and outcomes stay for the reports.
   */
  async eraseContacts(tx: Tx, contactIds: string[], now: Date): Promise<void> {
    await tx.query(
      `UPDATE contact_attempts SET notes = NULL, goodwill_reason = NULL
        WHERE contact_id = ANY($1::uuid[])`,
      [contactIds],
    );
    await tx.query(
      `UPDATE followup_contact_purchases SET external_id = NULL WHERE contact_id = ANY($1::uuid[])`,
      [contactIds],
    );
    // The reach check wants an email or a phone: 'erased' keeps the row valid and reaches no one.
    await tx.query(
      `UPDATE followup_contacts SET name = NULL, email = NULL, phone = 'erased',
              followup_consent = false, calls_consent = false
        WHERE id = ANY($1::uuid[])`,
      [contactIds],
    );
    // Nothing more is sent or called to an erased contact.
    await tx.query(
      `UPDATE followup_tasks SET status = 'cancelled', last_outcome = 'erased', closed_at = $2,
              updated_at = $2, claimed_by = NULL, claim_expires_at = NULL
        WHERE contact_id = ANY($1::uuid[]) AND status IN ('scheduled', 'due', 'claimed')`,
      [contactIds, now],
    );
  }
}
