import { dateKey, minuteOfDay } from './local-time';
import type { EvalState } from './state';
import {
  CONDITION_SPECS,
  Condition,
  ConditionValue,
  LeafCondition,
  LineTarget,
  Operator,
} from './types';

/**
 * A compiled condition: `null` when it holds, otherwise why not (a string built once at compile
 * time, so a failing condition allocates nothing).
 */
export type CompiledCondition = (s: EvalState) => string | null;

/** A compiled line filter (undefined target: every line). */
export type LineMatcher = (sku: string, category: string | null | undefined) => boolean;

export class RuleCompileError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

export function compileTarget(target: LineTarget | undefined): LineMatcher | undefined {
  if (!target) return undefined;
  const skus = target.skus?.length ? new Set(target.skus) : undefined;
  const cats = target.categories?.length ? new Set(target.categories) : undefined;
  const xSkus = target.excludeSkus?.length ? new Set(target.excludeSkus) : undefined;
  const xCats = target.excludeCategories?.length ? new Set(target.excludeCategories) : undefined;
  if (!skus && !cats && !xSkus && !xCats) return undefined;
  const anyIncluded = !skus && !cats;
  return (sku, category) => {
    if (xSkus?.has(sku)) return false;
    if (category != null && xCats?.has(category)) return false;
    if (anyIncluded) return true;
    return (skus?.has(sku) ?? false) || (category != null && (cats?.has(category) ?? false));
  };
}

type NumTest = (x: number) => boolean;

/** Numeric comparison; `between` is inclusive at both ends. */
function numericTest(
  op: Operator,
  raw: ConditionValue,
  toNum: (v: unknown) => number,
  path: string,
): NumTest {
  const one = () => {
    const n = toNum(raw);
    if (!Number.isFinite(n)) throw new RuleCompileError(`${path}.value`, 'wrong value type');
    return n;
  };
  const list = () => {
    if (!Array.isArray(raw) || raw.length === 0)
      throw new RuleCompileError(`${path}.value`, 'must be a non-empty list');
    return raw.map((v, i) => {
      const n = toNum(v);
      if (!Number.isFinite(n)) throw new RuleCompileError(`${path}.value.${i}`, 'wrong value type');
      return n;
    });
  };
  switch (op) {
    case 'eq': {
      const v = one();
      return (x) => x === v;
    }
    case 'ne': {
      const v = one();
      return (x) => x !== v;
    }
    case 'gt': {
      const v = one();
      return (x) => x > v;
    }
    case 'gte': {
      const v = one();
      return (x) => x >= v;
    }
    case 'lt': {
      const v = one();
      return (x) => x < v;
    }
    case 'lte': {
      const v = one();
      return (x) => x <= v;
    }
    case 'in': {
      const set = new Set(list());
      return (x) => set.has(x);
    }
    case 'nin': {
      const set = new Set(list());
      return (x) => !set.has(x);
    }
    case 'between': {
      const bounds = list();
      const [lo, hi] = bounds;
      if (bounds.length !== 2 || lo > hi)
        throw new RuleCompileError(`${path}.value`, 'must be [from, to] with from <= to');
      return (x) => x >= lo && x <= hi;
    }
  }
}

const asNumber = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : NaN);
const asDate = (v: unknown) => (typeof v === 'string' ? dateKey(v) : NaN);

function stringValues(raw: ConditionValue, op: Operator, path: string): string[] {
  const list = op === 'in' || op === 'nin' ? raw : [raw];
  if (!Array.isArray(list) || list.length === 0)
    throw new RuleCompileError(`${path}.value`, 'must be a non-empty list');
  list.forEach((v, i) => {
    if (typeof v !== 'string' || v.length === 0)
      throw new RuleCompileError(
        op === 'in' || op === 'nin' ? `${path}.value.${i}` : `${path}.value`,
        'wrong value type',
      );
  });
  return list as string[];
}

function describe(c: LeafCondition): string {
  return `${c.type} ${c.op} ${JSON.stringify(c.value)}`;
}

/** Compiles a condition tree into closures; throws RuleCompileError naming the bad path. */
export function compileCondition(
  c: Condition | null | undefined,
  path = 'conditions',
): CompiledCondition {
  if (!c) return () => null;
  if ('all' in c) {
    if (!Array.isArray(c.all) || c.all.length === 0)
      throw new RuleCompileError(`${path}.all`, 'must be a non-empty list');
    const parts = c.all.map((x, i) => compileCondition(x, `${path}.all.${i}`));
    const n = parts.length;
    return (s) => {
      for (let i = 0; i < n; i++) {
        const r = parts[i](s);
        if (r !== null) return r;
      }
      return null;
    };
  }
  if ('any' in c) {
    if (!Array.isArray(c.any) || c.any.length === 0)
      throw new RuleCompileError(`${path}.any`, 'must be a non-empty list');
    const parts = c.any.map((x, i) => compileCondition(x, `${path}.any.${i}`));
    const n = parts.length;
    const reason = `${path}.any: none of the ${n} alternatives holds`;
    return (s) => {
      for (let i = 0; i < n; i++) if (parts[i](s) === null) return null;
      return reason;
    };
  }
  return compileLeaf(c, path);
}

function compileLeaf(c: LeafCondition, path: string): CompiledCondition {
  const spec = CONDITION_SPECS[c.type];
  if (!spec) throw new RuleCompileError(`${path}.type`, 'unknown condition type');
  if (!spec.ops.includes(c.op))
    throw new RuleCompileError(`${path}.op`, `operator not allowed for ${c.type}`);
  if (c.target && !spec.targeted)
    throw new RuleCompileError(`${path}.target`, `not allowed for ${c.type}`);
  const failed = `${path}: ${describe(c)} does not hold`;
  const noMember = `${path}: ${c.type} needs a member`;
  const noConsent = `${path}: ${c.type} needs the member's profiling consent`;
  const test = compileLeafTest(c, path);
  if (spec.personalised)
    return (s) => (!s.member ? noMember : !s.profiling ? noConsent : test(s) ? null : failed);
  if (spec.member) return (s) => (!s.member ? noMember : test(s) ? null : failed);
  return (s) => (test(s) ? null : failed);
}

function compileLeafTest(c: LeafCondition, path: string): (s: EvalState) => boolean {
  const { op, value } = c;
  switch (c.type) {
    case 'basket_total': {
      const t = numericTest(op, value, asNumber, path);
      const match = compileTarget(c.target);
      if (!match) return (s) => t(s.netTotal);
      return (s) => {
        let sum = 0;
        for (let i = 0; i < s.n; i++) if (match(s.skus[i], s.categories[i])) sum += s.net[i];
        return t(sum);
      };
    }
    case 'line_quantity': {
      const t = numericTest(op, value, asNumber, path);
      const match = compileTarget(c.target);
      return (s) => {
        let sum = 0;
        for (let i = 0; i < s.n; i++)
          if (!match || match(s.skus[i], s.categories[i])) sum += s.qty[i];
        return t(sum);
      };
    }
    case 'line_sku':
    case 'line_category': {
      const set = new Set(stringValues(value, op, path));
      const bySku = c.type === 'line_sku';
      const exists = (s: EvalState) => {
        const arr = bySku ? s.skus : s.categories;
        for (let i = 0; i < s.n; i++) {
          const v = arr[i];
          if (v != null && set.has(v)) return true;
        }
        return false;
      };
      // eq/in: some line matches; ne/nin: no line matches.
      return op === 'eq' || op === 'in' ? exists : (s) => !exists(s);
    }
    case 'store':
    case 'channel':
    case 'member_tier': {
      const set = new Set(stringValues(value, op, path));
      const pick =
        c.type === 'store'
          ? (s: EvalState) => s.storeId
          : c.type === 'channel'
            ? (s: EvalState) => s.channel
            : (s: EvalState) => s.tier;
      const positive = op === 'eq' || op === 'in';
      return (s) => {
        const v = pick(s);
        const hit = v != null && set.has(v);
        return positive ? hit : !hit;
      };
    }
    case 'member_tag': {
      const wanted = stringValues(value, op, path);
      const n = wanted.length;
      const positive = op === 'eq' || op === 'in';
      return (s) => {
        let hit = false;
        for (let i = 0; i < n && !hit; i++) hit = s.tags.has(wanted[i]);
        return positive ? hit : !hit;
      };
    }
    case 'date': {
      const t = numericTest(op, value, asDate, path);
      return (s) => t(s.local.dayKey);
    }
    case 'weekday': {
      const t = numericTest(
        op,
        value,
        (v) => {
          const n = asNumber(v);
          return n >= 1 && n <= 7 ? n : NaN;
        },
        path,
      );
      return (s) => t(s.local.weekday);
    }
    case 'time_of_day': {
      const toMin = (v: unknown) => (typeof v === 'string' ? minuteOfDay(v) : NaN);
      if (op === 'between') {
        if (!Array.isArray(value) || value.length !== 2)
          throw new RuleCompileError(`${path}.value`, 'must be ["HH:MM", "HH:MM"]');
        const [from, to] = value.map(toMin);
        if (!Number.isFinite(from) || !Number.isFinite(to))
          throw new RuleCompileError(`${path}.value`, 'wrong value type');
        // [from, to): a window that crosses midnight (22:00–02:00) wraps.
        return from <= to
          ? (s) => s.local.minuteOfDay >= from && s.local.minuteOfDay < to
          : (s) => s.local.minuteOfDay >= from || s.local.minuteOfDay < to;
      }
      const t = numericTest(op, value, toMin, path);
      return (s) => t(s.local.minuteOfDay);
    }
    case 'days_since_enrolment': {
      const t = numericTest(op, value, asNumber, path);
      return (s) => s.daysSinceEnrolment !== null && t(s.daysSinceEnrolment);
    }
    case 'birthday_month':
    case 'first_purchase': {
      if (typeof value !== 'boolean')
        throw new RuleCompileError(`${path}.value`, 'wrong value type');
      const want = op === 'eq' ? value : !value;
      return c.type === 'birthday_month'
        ? (s) => s.birthdayMonth === want
        : (s) => s.firstPurchase === want;
    }
  }
}
