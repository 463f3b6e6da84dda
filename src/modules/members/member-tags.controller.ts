import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles, UuidParam } from '../../common';
import { MemberTagsDto } from './dto/member-tags.dto';
import { MemberTagsService } from './member-tags.service';
import { TransactionRunner } from '../../database';

@ApiTags('members')
@Controller('api/members/:id/tags')
export class MemberTagsController {
  constructor(
    private readonly tags: MemberTagsService,
    private readonly db: TransactionRunner,
  ) {}

  @Get()
  @Roles('marketing', 'supervisor')
  async list(@UuidParam() id: string) {
    return { tags: await this.tags.tagsOf(this.db.reader, id) };
  }

  /** Marketing tags for `member_tag` conditions (applied only with profiling consent). */
  @Put()
  @Roles('marketing')
  async replace(
    @UuidParam() id: string,
    @Body() dto: MemberTagsDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return { tags: await this.tags.replace(id, dto.tags, principal) };
  }
}
