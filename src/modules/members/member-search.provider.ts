import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { highlight, SearchHit, SearchRegistry } from '../../common';
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
  constructor(private readonly registry: SearchRegistry) {}

  onModuleInit(): void {
    this.registry.register({
      kind: 'member',
      search: (reader, q, { limit }) => this.search(reader, q, limit),
    });
  }

  async search(reader: EntityManager, q: string, limit: number): Promise<SearchHit[]> {
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
      if (terms.digits.length >= 4) {
        branches.push(`(SELECT id, ${S.contactFragment}, 'phone' FROM members
            WHERE status = 'active' AND phone LIKE ${p(`%${terms.digits}%`)} LIMIT ${cap})`);
      }
    } else {
      if (terms.text.includes('@')) {
        branches.push(`SELECT id, ${S.emailExact}, 'email' FROM members
            WHERE lower(email) = lower(${p(terms.text)}) AND status = 'active'`);
      }
      if (terms.text.length >= 3) {
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
      if (terms.fragment) {
        branches.push(`(SELECT id, ${S.nameFragment}, 'name' FROM members
           WHERE status = 'active'
             AND fidelia_search_text(${NAME_SQL}) LIKE ${p(`%${escapeLike(terms.fragment)}%`)}
           LIMIT ${cap})`);
      }
    }
    if (!branches.length) return [];
    const rows: Row[] = await reader.query(
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
