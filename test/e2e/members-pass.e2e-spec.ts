import { MembersService } from '../../src/modules/members';
import { startTestApp, TestApp } from '../utils/test-app';

describe('a profile change updates the wallet pass', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const passUpdatedAt = async (memberId: string) => {
    const [row] = await t.dataSource.query<{ at: Date }[]>(
      `SELECT pass_updated_at AS at FROM cards WHERE member_id = $1 AND status = 'active'`,
      [memberId],
    );
    return row.at.getTime();
  };

  it('marks the pass updated when the name or language changes, not for the phone', async () => {
    const { member } = await t.app.get(MembersService).enrol(
      {
        firstName: 'Ana',
        lastName: 'García',
        email: `pass-${Date.now()}@example.com`,
        consents: { terms: true },
      },
      { channel: 'web' },
    );
    const staff = await t.auth('supervisor');
    const before = await passUpdatedAt(member.id);

    await t.http
      .patch(`/api/members/${member.id}`)
      .set(staff)
      .send({ phone: '+34600999888' })
      .expect(200);
    expect(await passUpdatedAt(member.id)).toBe(before);

    await t.http
      .patch(`/api/members/${member.id}`)
      .set(staff)
      .send({ lastName: 'García Pérez' })
      .expect(200);
    const afterName = await passUpdatedAt(member.id);
    expect(afterName).toBeGreaterThan(before);

    await t.http.patch(`/api/members/${member.id}`).set(staff).send({ locale: 'en' }).expect(200);
    expect(await passUpdatedAt(member.id)).toBeGreaterThan(afterName);
  });
});
