export { CrmModule } from './crm.module';
export { TimelineService } from './timeline.service';
export type { TimelineItem, TimelinePage } from './timeline.service';
export { SearchService } from './search.service';
export type { SearchResult } from './search.service';
export { KnowledgeBaseService } from './kb/knowledge-base.service';
export type { ArticleView } from './kb/knowledge-base.service';
export { CrmError, CrmErrorCode } from './crm.errors';
