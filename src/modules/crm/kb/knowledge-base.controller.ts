import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, invalid, Public, Roles, UuidParam, type RequestActor } from '../../../common';
import {
  ArticleTextDto,
  CreateArticleDto,
  CreateCategoryDto,
  ListArticlesQuery,
  PublishVersionDto,
  SendArticleDto,
} from '../dto/article.dto';
import { KnowledgeBaseService } from './knowledge-base.service';

/** Writers of the knowledge base: supervisors and admins. */
const EDITORS = ['supervisor', 'admin'] as const;

@ApiTags('knowledge base')
@Controller('api')
export class KnowledgeBaseController {
  constructor(private readonly kb: KnowledgeBaseService) {}

  @Get('kb/categories')
  @Roles('staff')
  categories() {
    return this.kb.categories().then((items) => ({ items }));
  }

  @Post('kb/categories')
  @Roles(...EDITORS)
  createCategory(@Body() dto: CreateCategoryDto) {
    return this.kb.createCategory(dto);
  }

  @Get('kb/articles')
  @Roles('staff')
  list(@Query() query: ListArticlesQuery) {
    return this.kb.list(query);
  }

  @Post('kb/articles')
  @Roles(...EDITORS)
  create(@Body() dto: CreateArticleDto, @Actor() actor: RequestActor) {
    return this.kb.create(dto, actor);
  }

  @Get('kb/articles/:id')
  @Roles('staff')
  get(@UuidParam() id: string) {
    return this.kb.get(id);
  }

  /** An edit: a new version (published at once unless `publish: false`). */
  @Post('kb/articles/:id/versions')
  @Roles(...EDITORS)
  edit(@UuidParam() id: string, @Body() dto: ArticleTextDto, @Actor() actor: RequestActor) {
    return this.kb.edit(id, dto, actor);
  }

  @Get('kb/articles/:id/versions/:version')
  @Roles('staff')
  version(
    @UuidParam() id: string,
    @Param(
      'version',
      new ParseIntPipe({ exceptionFactory: () => invalid('version', 'must be an integer') }),
    )
    version: number,
  ) {
    return this.kb.getVersion(id, version);
  }

  @Post('kb/articles/:id/publish')
  @Roles(...EDITORS)
  @HttpCode(200)
  publish(@UuidParam() id: string, @Body() dto: PublishVersionDto) {
    return this.kb.publish(id, dto.version);
  }

  /** Sends the published version to a member by email or SMS; it shows on their timeline. */
  @Post('kb/articles/:id/send')
  @Roles('agent', 'supervisor', 'admin')
  send(@UuidParam() id: string, @Body() dto: SendArticleDto, @Actor() actor: RequestActor) {
    return this.kb.send(id, dto, actor);
  }

  /** A public article (programme terms, opening hours) by its slug. */
  @Get('public/kb/:slug')
  @Public()
  publicArticle(@Param('slug') slug: string) {
    return this.kb.publicArticle(slug);
  }
}
