import { DataSource } from 'typeorm';

/** A bare member row (no card, no consents): enough for ledger tests. */
export async function newMember(ds: DataSource): Promise<string> {
  const [row]: { id: string }[] = await ds.query(
    `INSERT INTO members (first_name, last_name, enrolment_channel) VALUES ('Test', 'Member', 'till')
     RETURNING id`,
  );
  return row.id;
}
