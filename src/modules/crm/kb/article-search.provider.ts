import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { highlight, queryWords, SearchHit, SearchRegistry } from '../../../common';

/** Articles rank below exact identifiers (card, registry numbers) and whole names. */
const BASE_RANK = 100;

interface Row {
  id: string;
  slug: string;
  public: boolean;
  category: string;
  version: number;
  title_es: string;
  title_en: string;
  rank: number;
  match_es: string;
  match_en: string;
}

/**
 * `article` results of `/api/search`: the published version of each article, full-text in
 * Spanish (stemmed, accents ignored), English and the simple configuration (words as typed, the
 * last one as a prefix), with a trigram fallback on titles for a word typed slightly differently
 * ("reclamacion" for "reclamaciones"). What matched comes back between «» (ts_headline).
 */
@Injectable()
export class ArticleSearchProvider implements OnModuleInit {
  constructor(private readonly registry: SearchRegistry) {}

  onModuleInit(): void {
    this.registry.register({
      kind: 'article',
      search: (reader, q, { limit }) => this.search(reader, q, limit),
    });
  }

  async search(reader: EntityManager, q: string, limit: number): Promise<SearchHit[]> {
    const words = queryWords(q);
    if (!words.length) return [];
    const prefix = words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(' & ');
    const rows: Row[] = await reader.query(
      `WITH q AS (
         SELECT websearch_to_tsquery('fidelia_es'::regconfig, $1)
                || websearch_to_tsquery('english'::regconfig, $1)
                || to_tsquery('fidelia_simple'::regconfig, $2) AS query,
                fidelia_search_text($1) AS folded)
       SELECT a.id, a.slug, a.public, k.slug AS category, v.version, v.title_es, v.title_en,
              ts_rank(v.search, q.query)
                + word_similarity(q.folded, fidelia_search_text(v.title_es || ' ' || v.title_en))
                AS rank,
              ts_headline('fidelia_es'::regconfig, v.title_es || '. ' || v.body_es, q.query,
                'StartSel=«, StopSel=», MaxWords=24, MinWords=10, MaxFragments=1') AS match_es,
              ts_headline('english'::regconfig, v.title_en || '. ' || v.body_en, q.query,
                'StartSel=«, StopSel=», MaxWords=24, MinWords=10, MaxFragments=1') AS match_en
         FROM q, kb_articles a
         JOIN kb_categories k ON k.id = a.category_id
         JOIN kb_article_versions v ON v.article_id = a.id AND v.version = a.published_version
        WHERE v.search @@ q.query
           OR word_similarity(q.folded, fidelia_search_text(v.title_es || ' ' || v.title_en)) >= 0.6
        ORDER BY rank DESC, a.slug
        LIMIT $3`,
      [q, prefix, limit],
    );
    return rows.map((r) => {
      const match = r.match_es.includes('«')
        ? r.match_es
        : r.match_en.includes('«')
          ? r.match_en
          : highlight(r.title_es, words);
      return {
        kind: 'article' as const,
        id: r.id,
        title: r.title_es,
        match,
        rank: BASE_RANK + Math.round(Number(r.rank) * 100),
        data: {
          slug: r.slug,
          category: r.category,
          public: r.public,
          version: r.version,
          titleEn: r.title_en,
        },
      };
    });
  }
}
