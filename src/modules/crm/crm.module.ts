import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { CasesModule } from '../cases';
import { MembersModule } from '../members';
import { MessagingModule } from '../messaging';
import { CrmPagesController } from './crm-pages.controller';
import { CrmController } from './crm.controller';
import { ArticleSearchProvider } from './kb/article-search.provider';
import { KbAttachmentsController } from './kb/kb-attachments.controller';
import { KbAttachmentsRepository } from './kb/kb-attachments.repository';
import { KbAttachmentsService } from './kb/kb-attachments.service';
import { KnowledgeBaseTimelineContributor } from './kb/knowledge-base-timeline.contributor';
import { KnowledgeBaseController } from './kb/knowledge-base.controller';
import { KnowledgeBaseRepository } from './kb/knowledge-base.repository';
import { KnowledgeBaseService } from './kb/knowledge-base.service';
import { SearchService } from './search.service';
import { TimelineService } from './timeline.service';

/**
 * The CRM core (issue 12): the member timeline and `/api/search` merged from the modules'
 * registries, the knowledge base, and the `/crm` page. It reads no other module's tables.
 */
@Module({
  imports: [AuditModule, CasesModule, MembersModule, MessagingModule],
  controllers: [
    CrmController,
    KnowledgeBaseController,
    KbAttachmentsController,
    CrmPagesController,
  ],
  providers: [
    TimelineService,
    SearchService,
    KnowledgeBaseService,
    KnowledgeBaseRepository,
    ArticleSearchProvider,
    KbAttachmentsRepository,
    KbAttachmentsService,
    KnowledgeBaseTimelineContributor,
  ],
  exports: [TimelineService, SearchService, KnowledgeBaseService],
})
export class CrmModule {}
