import { Injectable, OnModuleInit } from '@nestjs/common';
import { highlight, SearchHit, SearchRegistry } from '../../common';
import { TransactionRunner } from '../../database';
import { memberSearchTerms, namesTsQuery } from './member-search-terms';

/** Scores: exact identifiers first, then whole names, then fragments. */
export const MEMBER_SCORES = {
  cardExact: 1000,
  oldCardExact: 950,
  emailExact: 900,
  phoneExact: 900,
  nameExact: 600,
  nameWords: 500,
  cardPrefix: 300,
  nameFragment: 200,
  contactFragment: 150,
} as const;

/** At most this many rows from each branch: a picker shows a few and asks to refine. */
const BRANCH_CAP = 50;

interface Row {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  tier: string | null;
  card_number: string | null;
  score: number;
  field: 'card' | 'email' | 'phone' | 'name';
}

const FULL_EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const NAME_SQL = `coalesce(first_name, '') || ' ' || coalesce(last_name, '')`;

/**
 * `member` results of `/api/search`: card number (exact, then prefix), email, phone in any format
 * (E.164 exact, then digits), name without accents or case (full-text words in any order, then
 * substrings). Each branch runs on its own index (migrations AddMemberSearchIndexes,
 * AddAccentInsensitiveMemberSearch, CreateSearchConfigurations) and is capped, so a common name
 * over a million members costs no more than a rare one.
 */
@Injectable()
export class MemberSearchProvider implements OnModuleInit {
  constructor(
    private readonly registry: SearchRegistry,
    private readonly tx: TransactionRunner,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      kind: 'member',
      search: (_reader, q, { limit }) => this.search(q, limit),
    });
  }

  async search(q: string, limit: number): Promise<SearchHit[]> {
    const terms = memberSearchTerms(q);
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const cap = BRANCH_CAP;
    const branches: string[] = [];
    const S = MEMBER_SCORES;
    if (terms.digits) {
      if (terms.digits.length === 16) {
        branches.push(`SELECT member_id AS id,
            CASE WHEN status = 'active' THEN ${S.cardExact} ELSE ${S.oldCardExact} END AS score,
            'card' AS field FROM cards WHERE number = ${p(terms.digits)}`);
      } else if (terms.digits.length >= 4) {
        branches.push(`(SELECT member_id, ${S.cardPrefix}, 'card' FROM cards
            WHERE number LIKE ${p(`${terms.digits}%`)} AND status = 'active' LIMIT ${cap})`);
      }
      if (terms.phone) {
        branches.push(`SELECT id, ${S.phoneExact}, 'phone' FROM members
            WHERE phone = ${p(terms.phone)} AND status = 'active'`);
      }
      // Part of a phone number (a whole one is found exactly; a card number is no phone).
      if (!terms.phone && terms.digits.length >= 4 && terms.digits.length <= 12) {
        branches.push(`(SELECT id, ${S.contactFragment}, 'phone' FROM members
            WHERE status = 'active' AND phone LIKE ${p(`%${terms.digits}%`)} LIMIT ${cap})`);
      }
    } else {
      if (terms.text.includes('@')) {
        branches.push(`SELECT id, ${S.emailExact}, 'email' FROM members
            WHERE lower(email) = lower(${p(terms.text)}) AND status = 'active'`);
      }
      // Part of an address ("ana.munoz", "@example"): a name with spaces is no email fragment.
      // A whole address is found by the exact branch; its substring search would read every
      // member of a common domain.
      const fragment = /^[^\s]*[@.][^\s]*$/.test(terms.text) && !FULL_EMAIL.test(terms.text);
      if (terms.text.length >= 3 && fragment) {
        branches.push(`(SELECT id, ${S.contactFragment}, 'email' FROM members
            WHERE status = 'active' AND email ILIKE ${p(`%${escapeLike(terms.text)}%`)} LIMIT ${cap})`);
      }
      const tsquery = namesTsQuery(terms.words);
      if (tsquery) {
        const folded = p(terms.fragment ?? terms.words.join(' '));
        branches.push(`(SELECT id,
              CASE WHEN fidelia_search_text(${NAME_SQL}) = ${folded} THEN ${S.nameExact}
                   ELSE ${S.nameWords} END, 'name'
            FROM members
           WHERE status = 'active'
             AND to_tsvector('fidelia_simple'::regconfig, ${NAME_SQL})
                 @@ to_tsquery('fidelia_simple'::regconfig, ${p(tsquery)})
           LIMIT ${cap})`);
      }
      // Inside a word ("arcia" in "García"): one word only; several words are the full-text
      // branch's (their trigram bitmaps are the costliest part of a full name's search).
      if (terms.fragment && terms.words.length <= 1) {
        branches.push(`(SELECT id, ${S.nameFragment}, 'name' FROM members
           WHERE status = 'active'
             AND fidelia_search_text(${NAME_SQL}) LIKE ${p(`%${escapeLike(terms.fragment)}%`)}
           LIMIT ${cap})`);
      }
    }
    if (!branches.length) return [];
    // Each branch is capped by LIMIT, which tempts the planner into scanning the whole table (or
    // a whole unrelated index) until the 50th match; when the matches are rare (a word in no
    // name) that reads every member: 12-25 s over a million. For this one statement only bitmap
    // scans are allowed, so every branch reads its own index and stops there.
    const rows: Row[] = await this.tx.run(async (tx) => {
      await tx.query(`SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off`);
      return tx.query(
        `WITH hits (id, score, field) AS (${branches.join(' UNION ALL ')}),
            best AS (SELECT DISTINCT ON (id) id, score, field FROM hits ORDER BY id, score DESC)
       SELECT m.id, m.first_name, m.last_name, m.email, m.phone, m.tier,
              c.number AS card_number, b.score, b.field
         FROM best b
         JOIN members m ON m.id = b.id AND m.status = 'active'
         LEFT JOIN cards c ON c.member_id = m.id AND c.status = 'active'
        ORDER BY b.score DESC, m.created_at DESC, m.id
        LIMIT ${p(limit)}`,
        params,
      );
    });
    return rows.map((r) => toHit(r, terms.digits ? [terms.digits] : [terms.text, ...terms.words]));
  }
}

function toHit(r: Row, terms: string[]): SearchHit {
  const name = `${r.first_name ?? ''} ${r.last_name ?? ''}`.trim();
  const matched =
    r.field === 'card'
      ? (r.card_number ?? '')
      : r.field === 'email'
        ? (r.email ?? '')
        : r.field === 'phone'
          ? (r.phone ?? '')
          : name;
  return {
    kind: 'member',
    id: r.id,
    title: name,
    match: highlight(matched, terms),
    rank: Number(r.score),
    data: {
      field: r.field,
      cardNumber: r.card_number,
      email: r.email,
      phone: r.phone,
      tier: r.tier,
    },
  };
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
