import { Injectable, OnModuleInit } from '@nestjs/common';
import { actorOf, Clock, PersonalDataRegistry } from '../../../common';
import { AppConfig } from '../../../config';
import { isUniqueViolation, TransactionRunner } from '../../../database';
import { AuditService } from '../../audit';
import { MembersService, RequestActor } from '../../members';
import { MessagingService } from '../../messaging';
import {
  articleNotFound,
  categoryNotFound,
  noContact,
  notPublished,
  slugTaken,
  versionNotFound,
} from '../crm.errors';
import type {
  ArticleTextDto,
  CreateArticleDto,
  CreateCategoryDto,
  SendArticleDto,
} from '../dto/article.dto';
import { AttachmentView, KbAttachmentsService } from './kb-attachments.service';
import { ArticleRow, KnowledgeBaseRepository, VersionRow } from './knowledge-base.repository';

/** The template of an article sent to a customer (templates/messages/knowledge-article/). */
export const ARTICLE_TEMPLATE = 'knowledge-article';

/** An SMS carries the title, the link when public, and the start of the text. */
const SMS_EXCERPT = 280;

export interface ArticleView {
  id: string;
  slug: string;
  categoryId: string;
  category: string;
  public: boolean;
  latestVersion: number;
  publishedVersion: number | null;
  url: string | null;
  version?: Omit<VersionRow, 'articleId'>;
  /** Attached files (brochures, manuals), oldest first. */
  attachments?: AttachmentView[];
}

/**
 * The knowledge base: articles in Spanish and English, each edit a new version, the published
 * one shown and searched; an agent sends one to a customer as a service message in one step.
 */
@Injectable()
export class KnowledgeBaseService implements OnModuleInit {
  /** The programme's terms article: what `/terms` (and the /join page) shows. */
  static readonly TERMS_SLUG = 'programme-terms';

  constructor(
    private readonly repo: KnowledgeBaseRepository,
    private readonly tx: TransactionRunner,
    private readonly members: MembersService,
    private readonly messaging: MessagingService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly personalData: PersonalDataRegistry,
    private readonly attachments: KbAttachmentsService,
  ) {}

  onModuleInit(): void {
    // Which articles were sent to the member, when and how (no free text: ids and channels).
    this.personalData.register({
      category: 'articlesSent',
      export: (reader, memberId) => this.repo.sendsOf(reader, memberId),
      erase: async () => undefined,
    });
  }

  categories() {
    return this.repo.categories(this.tx.reader);
  }

  async createCategory(dto: CreateCategoryDto) {
    try {
      return await this.tx.run((tx) => this.repo.insertCategory(tx, dto));
    } catch (err) {
      if (isUniqueViolation(err, 'kb_categories_slug_key')) throw slugTaken();
      throw err;
    }
  }

  async list(filter: { categoryId?: string }) {
    const rows = await this.repo.list(this.tx.reader, filter);
    return {
      items: rows.map((r) => ({ ...this.view(r), titleEs: r.titleEs, titleEn: r.titleEn })),
    };
  }

  /** The article with its published version (or the latest, for staff, while a draft). */
  async get(id: string): Promise<ArticleView & { versions: unknown[] }> {
    const article = await this.find(id);
    const shown = article.publishedVersion ?? article.latestVersion;
    const version = await this.repo.version(this.tx.reader, id, shown);
    return {
      ...this.view(article, version),
      attachments: await this.attachments.list(article),
      versions: await this.repo.versions(this.tx.reader, id),
    };
  }

  async getVersion(id: string, version: number) {
    const article = await this.find(id);
    const row = await this.repo.version(this.tx.reader, id, version);
    if (!row) throw versionNotFound(version);
    return this.view(article, row);
  }

  /** A public, published article by its slug (the /kb/<slug> page and /terms); else 404. */
  async publicArticle(
    slug: string,
  ): Promise<ArticleView & { version: Omit<VersionRow, 'articleId'> }> {
    const article = await this.repo.findBySlug(this.tx.reader, slug);
    if (!article || !article.public || article.publishedVersion === null) throw articleNotFound();
    const version = (await this.repo.version(
      this.tx.reader,
      article.id,
      article.publishedVersion,
    ))!;
    return {
      ...this.view(article, version),
      version: strip(version),
      attachments: await this.attachments.list(article),
    };
  }

  async create(dto: CreateArticleDto, actor: RequestActor): Promise<ArticleView> {
    const now = this.clock.now();
    try {
      const id = await this.tx.run(async (tx) => {
        if (!(await this.repo.categoryExists(tx, dto.categoryId))) throw categoryNotFound();
        const articleId = await this.repo.insertArticle(tx, {
          slug: dto.slug,
          categoryId: dto.categoryId,
          public: dto.public ?? false,
          publish: dto.publish ?? true,
          at: now,
        });
        await this.repo.insertVersion(tx, articleId, 1, text(dto), actorOf(actor.principal), now);
        return articleId;
      });
      return this.get(id);
    } catch (err) {
      if (isUniqueViolation(err, 'kb_articles_slug_key')) throw slugTaken();
      throw err;
    }
  }

  /** An edit: a new version, published at once unless `publish: false` (a draft). */
  async edit(id: string, dto: ArticleTextDto, actor: RequestActor): Promise<ArticleView> {
    const now = this.clock.now();
    await this.tx.run(async (tx) => {
      const article = await this.repo.find(tx, id, true);
      if (!article) throw articleNotFound();
      const version = article.latestVersion + 1;
      await this.repo.insertVersion(tx, id, version, text(dto), actorOf(actor.principal), now);
      await this.repo.updateArticle(tx, id, {
        latestVersion: version,
        publishedVersion: (dto.publish ?? true) ? version : undefined,
        at: now,
      });
    });
    return this.get(id);
  }

  /** Shows this version (an older one to roll back, or a draft). */
  async publish(id: string, version: number): Promise<ArticleView> {
    await this.tx.run(async (tx) => {
      const article = await this.repo.find(tx, id, true);
      if (!article) throw articleNotFound();
      if (version > article.latestVersion) throw versionNotFound(version);
      await this.repo.updateArticle(tx, id, { publishedVersion: version, at: this.clock.now() });
    });
    return this.get(id);
  }

  /**
   * Sends the published version to a member by email or SMS, in one transaction: the outbox row
   * (a service message: it answers the customer's question, so it needs no marketing consent),
   * the record the timeline shows, and the audit entry.
   */
  async send(id: string, dto: SendArticleDto, actor: RequestActor) {
    return this.tx.run(async (tx) => {
      const article = await this.repo.find(tx, id);
      if (!article) throw articleNotFound();
      if (article.publishedVersion === null) throw notPublished();
      const member = await this.members.get(tx, dto.memberId);
      const recipient = dto.channel === 'email' ? member.email : member.phone;
      if (!recipient) throw noContact(dto.channel);
      const locale = dto.locale ?? member.locale;
      const version = (await this.repo.version(tx, id, article.publishedVersion))!;
      const title = locale === 'en' ? version.titleEn : version.titleEs;
      const body = locale === 'en' ? version.bodyEn : version.bodyEs;
      const url = this.urlOf(article);
      // Links only a customer can open: a public article's files (a brochure, a manual).
      const files = article.public ? await this.attachments.list(article) : [];
      const outboxId = await this.messaging.enqueue(tx, {
        channel: dto.channel,
        recipient,
        template: ARTICLE_TEMPLATE,
        locale,
        memberId: member.id,
        purpose: 'service',
        payload: {
          firstName: member.firstName,
          articleId: id,
          slug: article.slug,
          version: version.version,
          title,
          paragraphs: body
            .split(/\n\s*\n/)
            .map((p) => p.trim())
            .filter(Boolean),
          text: body,
          excerpt: excerpt(body, SMS_EXCERPT),
          url,
          attachments: files.map((f) => ({ name: f.fileName, url: f.publicUrl })),
        },
      });
      const { actorType, actorId } = actorOf(actor.principal);
      const sent = await this.repo.insertSend(tx, {
        articleId: id,
        version: version.version,
        memberId: member.id,
        channel: dto.channel,
        locale,
        outboxId,
        sentByType: actorType,
        sentById: actorId,
        at: this.clock.now(),
      });
      await this.audit.log(tx, {
        principal: actor.principal,
        ip: actor.ip,
        requestId: actor.requestId,
        action: 'kb.article.send',
        entity: 'kb_article',
        entityId: id,
        memberId: member.id,
        details: { channel: dto.channel, version: version.version, outboxId },
      });
      return { ...sent, memberId: member.id, title };
    });
  }

  private async find(id: string): Promise<ArticleRow> {
    const article = await this.repo.find(this.tx.reader, id);
    if (!article) throw articleNotFound();
    return article;
  }

  private urlOf(article: ArticleRow): string | null {
    return article.public ? `${this.config.publicUrl}/kb/${article.slug}` : null;
  }

  private view(article: ArticleRow, version?: VersionRow): ArticleView {
    return {
      id: article.id,
      slug: article.slug,
      categoryId: article.categoryId,
      category: article.categorySlug,
      public: article.public,
      latestVersion: article.latestVersion,
      publishedVersion: article.publishedVersion,
      url: this.urlOf(article),
      ...(version ? { version: strip(version) } : {}),
    };
  }
}

const text = (dto: ArticleTextDto) => ({
  titleEs: dto.titleEs.trim(),
  bodyEs: dto.bodyEs.trim(),
  titleEn: dto.titleEn.trim(),
  bodyEn: dto.bodyEn.trim(),
});

const strip = ({ articleId: _articleId, ...rest }: VersionRow) => rest;

/** The first `max` characters of the text, cut at a word, with an ellipsis when cut. */
export function excerpt(body: string, max: number): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
