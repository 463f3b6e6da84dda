export { CrmModule } from './crm.module';
export { TimelineService } from './timeline.service';
export type { TimelineItem, TimelinePage } from './timeline.service';
export { SearchService, SEARCH_ROLES } from './search.service';
export type { SearchResult } from './search.service';
export { KnowledgeBaseService, ARTICLE_TEMPLATE } from './kb/knowledge-base.service';
export type { ArticleView } from './kb/knowledge-base.service';
export { TERMS_SLUG } from './crm-pages.controller';
export { CrmError, CrmErrorCode } from './crm.errors';
