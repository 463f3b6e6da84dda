import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  Actor,
  CurrentPrincipal,
  MemberPrincipal,
  Roles,
  UuidParam,
  type RequestActor,
} from '../../common';
import { SearchQueryDto } from './dto/search-query.dto';
import { TimelineQueryDto } from './dto/timeline-query.dto';
import { SearchService } from './search.service';
import { TimelineService } from './timeline.service';

/** The customer 360: one timeline per member, and search across members, cases, documents, articles. */
@ApiTags('crm')
@Controller('api')
export class CrmController {
  constructor(
    private readonly timeline: TimelineService,
    private readonly searchService: SearchService,
  ) {}

  /** Everything that happened with the member, newest first; the read is audited. */
  @Get('members/:id/timeline')
  @Roles('cashier', 'agent', 'supervisor', 'admin')
  memberTimeline(
    @UuidParam() id: string,
    @Query() query: TimelineQueryDto,
    @Actor() actor: RequestActor,
  ) {
    return this.timeline.page(id, query, actor, 'staff');
  }

  /** The member's own timeline. */
  @Get('me/timeline')
  @Roles('member')
  myTimeline(
    @CurrentPrincipal() me: MemberPrincipal,
    @Query() query: TimelineQueryDto,
    @Actor() actor: RequestActor,
  ) {
    return this.timeline.page(me.memberId, query, actor, 'member');
  }

  /** The kinds a timeline can show (for filters). */
  @Get('timeline/kinds')
  @Roles('staff', 'member')
  kinds() {
    return { items: this.timeline.kinds() };
  }

  /** Ranked hits grouped by kind; which kinds depends on the role (SEARCH_ROLES). */
  @Get('search')
  @Roles('cashier', 'agent', 'supervisor', 'admin', 'marketing')
  search(@Query() query: SearchQueryDto, @Actor() actor: RequestActor) {
    return this.searchService.search(query, actor);
  }
}
