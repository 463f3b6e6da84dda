import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { actorOf, Clock, invalid, Principal } from '../../common';
import { TransactionRunner } from '../../database';
import type { CreatePlanDto, UpdatePlanDto } from './dto/plan.dto';
import { planNotFound } from './followup.errors';
import { FollowupRepository, PlanRow } from './followup.repository';
import type { PlanConditions } from './followup-rules';
import { Duration, parseDuration } from './iso-duration';
import type { QuietHours } from './quiet-hours';

/** A plan as the till's hook and the scheduler use it: durations parsed once. */
export interface CompiledPlan {
  row: PlanRow;
  delay: Duration;
  retryDelay: Duration;
  quiet: QuietHours | null;
}

/** Other instances' plan edits reach this one's cache within this time. */
const CACHE_MS = 30_000;

/**
 * Follow-up plans: marketing writes, supervisors read. All plans are cached in memory (the
 * till's hook reads them on every purchase without a query), reloaded after a local write at
 * once and in the background every 30 s for other instances' writes.
 */
@Injectable()
export class FollowupPlansService {
  private readonly logger = new Logger('FollowupPlans');
  private cache: Map<string, CompiledPlan> | null = null;
  private active: CompiledPlan[] = [];
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly repo: FollowupRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async create(dto: CreatePlanDto, principal: Principal) {
    const now = this.clock.now();
    const row = this.validated({
      id: randomUUID(),
      name: dto.name.trim(),
      channel: dto.channel,
      delay: dto.delay,
      survey_kind: dto.surveyKind ?? null,
      conditions: cleanConditions(dto.conditions ?? {}),
      max_attempts: dto.maxAttempts ?? 3,
      retry_delay: dto.retryDelay ?? 'PT4H',
      quiet_from: dto.quietHours?.from ?? null,
      quiet_to: dto.quietHours?.to ?? null,
      active: dto.active ?? true,
      version: 1,
      created_by: actorOf(principal).actorId,
      created_at: now,
      updated_at: now,
    });
    await this.transactions.run((tx) => this.repo.insertPlan(tx, row));
    await this.reload();
    return presentPlan(row);
  }

  async update(id: string, dto: UpdatePlanDto) {
    const row = await this.transactions.run(async (tx) => {
      const current = await this.repo.plan(tx, id, true);
      if (!current) throw planNotFound();
      const next = this.validated({
        ...current,
        name: dto.name?.trim() ?? current.name,
        channel: dto.channel ?? current.channel,
        delay: dto.delay ?? current.delay,
        survey_kind: dto.surveyKind !== undefined ? dto.surveyKind : current.survey_kind,
        conditions:
          dto.conditions !== undefined ? cleanConditions(dto.conditions) : current.conditions,
        max_attempts: dto.maxAttempts ?? current.max_attempts,
        retry_delay: dto.retryDelay ?? current.retry_delay,
        quiet_from:
          dto.quietHours !== undefined ? (dto.quietHours?.from ?? null) : current.quiet_from,
        quiet_to: dto.quietHours !== undefined ? (dto.quietHours?.to ?? null) : current.quiet_to,
        active: dto.active ?? current.active,
        version: current.version + 1,
        updated_at: this.clock.now(),
      });
      await this.repo.updatePlan(tx, next);
      return next;
    });
    await this.reload();
    return presentPlan(row);
  }

  async get(id: string) {
    const row = await this.repo.plan(this.transactions.reader, id);
    if (!row) throw planNotFound();
    return presentPlan(row);
  }

  async list(activeOnly = false) {
    return (await this.repo.plans(this.transactions.reader, activeOnly)).map(presentPlan);
  }

  /** Active plans from memory (loaded on first use, refreshed in the background). */
  async activePlans(): Promise<CompiledPlan[]> {
    if (!this.cache) await this.reload();
    else if (Date.now() - this.loadedAt > CACHE_MS) this.refreshInBackground();
    return this.active;
  }

  /** Any plan by id, inactive ones included (their scheduled tasks still run). */
  async compiled(id: string): Promise<CompiledPlan | null> {
    if (!this.cache || !this.cache.has(id)) await this.reload();
    return this.cache!.get(id) ?? null;
  }

  async reload(): Promise<void> {
    const rows = await this.repo.plans(this.transactions.reader);
    const compiled = new Map<string, CompiledPlan>();
    for (const row of rows) {
      const delay = parseDuration(row.delay);
      const retryDelay = parseDuration(row.retry_delay);
      if (!delay || !retryDelay) continue; // validated on write; never expected
      compiled.set(row.id, {
        row,
        delay,
        retryDelay,
        quiet: row.quiet_from && row.quiet_to ? { from: row.quiet_from, to: row.quiet_to } : null,
      });
    }
    this.cache = compiled;
    this.active = [...compiled.values()].filter((p) => p.row.active);
    this.loadedAt = Date.now();
  }

  private refreshInBackground(): void {
    if (this.loading) return;
    this.loadedAt = Date.now();
    this.loading = this.reload()
      .catch((err: unknown) => this.logger.warn({ err }, 'follow-up plans reload failed'))
      .finally(() => (this.loading = null));
  }

  private validated(row: PlanRow): PlanRow {
    if (!parseDuration(row.delay))
      throw invalid('delay', 'must be an ISO-8601 duration such as P3D, PT4H or PT0S');
    if (!parseDuration(row.retry_delay))
      throw invalid('retryDelay', 'must be an ISO-8601 duration such as PT4H');
    if (row.quiet_from && row.quiet_from === row.quiet_to)
      throw invalid('quietHours', 'from and to must differ');
    return row;
  }
}

function cleanConditions(c: PlanConditions): PlanConditions {
  const out: PlanConditions = {};
  if (c.storeIds?.length) out.storeIds = [...new Set(c.storeIds)];
  if (c.categories?.length) out.categories = [...new Set(c.categories.map((x) => x.trim()))];
  if (c.minTotalCents !== undefined && c.minTotalCents !== null)
    out.minTotalCents = c.minTotalCents;
  if (c.tiers?.length) out.tiers = [...new Set(c.tiers)];
  if (c.firstPurchase) out.firstPurchase = true;
  return out;
}

export function presentPlan(r: PlanRow) {
  return {
    id: r.id,
    name: r.name,
    channel: r.channel,
    delay: r.delay,
    surveyKind: r.survey_kind,
    conditions: r.conditions,
    maxAttempts: r.max_attempts,
    retryDelay: r.retry_delay,
    quietHours: r.quiet_from && r.quiet_to ? { from: r.quiet_from, to: r.quiet_to } : null,
    active: r.active,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
