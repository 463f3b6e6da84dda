import { Injectable, OnModuleInit } from '@nestjs/common';
import { highlight, SearchHit, SearchRegistry } from '../../common';
import { TransactionRunner } from '../../database';
import { MemberSearchTerms, memberSearchTerms, namesTsQuery } from './member-search-terms';

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
    const marks = terms.digits ? [terms.digits] : [terms.text, ...terms.words];
    // Exact identifiers first, alone: one indexed lookup, no transaction; a hit ends the search
    // (a card, an email or a phone names one member; fragments would only add noise).
    const exact = new Statement();
    const hits = exactBranches(terms, exact);
    if (hits.length) {
      const rows: Row[] = await this.tx.reader.query(exact.sql(hits, [], limit), exact.params);
      if (rows.length) return rows.map((r) => toHit(r, marks));
    }
    const rest = new Statement();
    const words = wordBranches(terms, rest);
    const fragments = fragmentBranches(terms, rest);
    if (!words.length && !fragments.length) return [];
    // Each branch is capped by LIMIT, which tempts the planner into scanning the whole table (or
    // a whole unrelated index) until the 50th match; when the matches are rare (a word in no
    // name) that reads every member: 12-25 s over a million. For this one statement only bitmap
    // scans are allowed, so every branch reads its own index and stops there.
    const rows: Row[] = await this.tx.run(async (tx) => {
      await tx.query(`SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off`);
      return tx.query(rest.sql(words, fragments, limit), rest.params);
    });
    return rows.map((r) => toHit(r, marks));
  }
}

/** One statement's parameters, and the query that ranks its branches' members. */
class Statement {
  readonly params: unknown[] = [];

  p = (value: unknown) => `$${this.params.push(value)}`;

  /**
   * `strong` branches always run; `weak` ones (fragments) only when the strong ones found fewer
   * than `limit` members: the condition is uncorrelated, so PostgreSQL checks it once (a
   * one-time filter) and never opens the fragment indexes when the words already filled the
   * page (a common surname: 50,000 trigram matches not read).
   */
  sql(strong: string[], weak: string[], limit: number): string {
    const max = this.p(limit);
    const weakCte = weak.length
      ? `, weak (id, score, field) AS (
           SELECT * FROM (${weak.join(' UNION ALL ')}) w
            WHERE (SELECT count(DISTINCT id) FROM strong) < ${max})`
      : '';
    return `WITH strong (id, score, field) AS (${strong.join(' UNION ALL ') || EMPTY})${weakCte},
            best AS (SELECT DISTINCT ON (id) id, score, field
                       FROM (SELECT * FROM strong ${weak.length ? 'UNION ALL SELECT * FROM weak' : ''}) h
                      ORDER BY id, score DESC)
       SELECT m.id, m.first_name, m.last_name, m.email, m.phone, m.tier,
              c.number AS card_number, b.score, b.field
         FROM best b
         JOIN members m ON m.id = b.id AND m.status = 'active'
         LEFT JOIN cards c ON c.member_id = m.id AND c.status = 'active'
        ORDER BY b.score DESC, m.created_at DESC, m.id
        LIMIT ${max}`;
  }
}

const EMPTY = `SELECT NULL::uuid, 0, NULL::text WHERE false`;
const S = MEMBER_SCORES;
const cap = BRANCH_CAP;

/** Whole identifiers: a 16-digit card number, a phone read as E.164, a whole email address. */
function exactBranches(terms: MemberSearchTerms, st: Statement): string[] {
  const out: string[] = [];
  if (terms.digits?.length === 16)
    out.push(`SELECT member_id AS id,
        CASE WHEN status = 'active' THEN ${S.cardExact} ELSE ${S.oldCardExact} END AS score,
        'card' AS field FROM cards WHERE number = ${st.p(terms.digits)}`);
  if (terms.digits && terms.phone)
    out.push(`SELECT id, ${S.phoneExact}, 'phone' FROM members
        WHERE phone = ${st.p(terms.phone)} AND status = 'active'`);
  if (!terms.digits && terms.text.includes('@'))
    out.push(`SELECT id, ${S.emailExact}, 'email' FROM members
        WHERE lower(email) = lower(${st.p(terms.text)}) AND status = 'active'`);
  return out;
}

/** All the words of a name, any order, the last one as a prefix (full text). */
function wordBranches(terms: MemberSearchTerms, st: Statement): string[] {
  const tsquery = terms.digits ? null : namesTsQuery(terms.words);
  if (!tsquery) return [];
  const folded = st.p(terms.fragment ?? terms.words.join(' '));
  return [
    `(SELECT id,
          CASE WHEN fidelia_search_text(${NAME_SQL}) = ${folded} THEN ${S.nameExact}
               ELSE ${S.nameWords} END, 'name'
        FROM members
       WHERE status = 'active'
         AND to_tsvector('fidelia_simple'::regconfig, ${NAME_SQL})
             @@ to_tsquery('fidelia_simple'::regconfig, ${st.p(tsquery)})
       LIMIT ${cap})`,
  ];
}

/** Parts: a card number's start, a phone's digits, part of an address, inside a name. */
function fragmentBranches(terms: MemberSearchTerms, st: Statement): string[] {
  const out: string[] = [];
  if (terms.digits) {
    if (terms.digits.length >= 4 && terms.digits.length < 16)
      out.push(`(SELECT member_id, ${S.cardPrefix}, 'card' FROM cards
          WHERE number LIKE ${st.p(`${terms.digits}%`)} AND status = 'active' LIMIT ${cap})`);
    // Part of a phone number (a whole one is found exactly; a card number is no phone).
    if (!terms.phone && terms.digits.length >= 4 && terms.digits.length <= 12)
      out.push(`(SELECT id, ${S.contactFragment}, 'phone' FROM members
          WHERE status = 'active' AND phone LIKE ${st.p(`%${terms.digits}%`)} LIMIT ${cap})`);
    return out;
  }
  // Part of an address ("ana.munoz", "@example"): a name with spaces is no email fragment.
  // A whole address is found by the exact branch; its substring search would read every
  // member of a common domain.
  const fragment = /^[^\s]*[@.][^\s]*$/.test(terms.text) && !FULL_EMAIL.test(terms.text);
  if (terms.text.length >= 3 && fragment)
    out.push(`(SELECT id, ${S.contactFragment}, 'email' FROM members
        WHERE status = 'active' AND email ILIKE ${st.p(`%${escapeLike(terms.text)}%`)} LIMIT ${cap})`);
  // Inside a word ("arcia" in "García"): one word only; several words are the full-text
  // branch's (their trigram bitmaps are the costliest part of a full name's search).
  if (terms.fragment && terms.words.length <= 1)
    out.push(`(SELECT id, ${S.nameFragment}, 'name' FROM members
       WHERE status = 'active'
         AND fidelia_search_text(${NAME_SQL}) LIKE ${st.p(`%${escapeLike(terms.fragment)}%`)}
       LIMIT ${cap})`);
  return out;
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
