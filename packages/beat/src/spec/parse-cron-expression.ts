/**
 * Parses a cron expression into the allowed values of each field: 5 fields (minute hour
 * day-of-month month day-of-week) or 6 with seconds first; `*`, `?` (day fields only),
 * values, ranges `a-b`, steps `*\/n`, `a-b/n` and `a/n` (= a-max/n), comma lists,
 * English month and weekday abbreviations (`jan`, `mon`, any case), weekday 7 = Sunday,
 * and the aliases in `CRON_ALIASES`. Anything else, and any expression that can never
 * fire, is refused with a `ScheduleSpecInvalidError` naming the field and the reason.
 */
import { closestMatch } from '@stem/core';
import { ScheduleSpecInvalidError } from './schedule-spec-invalid-error';
import { type WallTimeFields, whyNeverMatches } from './wall-time-matcher';

/** The `@` shorthands and the 5-field expressions they stand for. */
export const CRON_ALIASES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface FieldRule {
  name: string;
  min: number;
  max: number;
  /** Three-letter names; a name's value is its index plus `nameBase`. */
  names?: readonly string[];
  nameBase?: number;
  /** Whether `?` (Quartz's "no specific value") may stand for `*`. */
  allowsQuestionMark?: boolean;
}

const SECOND: FieldRule = { name: 'second', min: 0, max: 59 };
const MINUTE: FieldRule = { name: 'minute', min: 0, max: 59 };
const HOUR: FieldRule = { name: 'hour', min: 0, max: 23 };
const MONTH_DAY: FieldRule = { name: 'day-of-month', min: 1, max: 31, allowsQuestionMark: true };
const MONTH: FieldRule = {
  name: 'month',
  min: 1,
  max: 12,
  names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  nameBase: 1,
};
/** 0 and 7 are both Sunday. */
const WEEKDAY: FieldRule = {
  name: 'day-of-week',
  min: 0,
  max: 7,
  names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
  nameBase: 0,
  allowsQuestionMark: true,
};

const FIELD = 'spec.expression';

/**
 * The allowed values of `expression`'s fields. Throws `ScheduleSpecInvalidError`
 * (field `spec.expression`) for a malformed expression or one that can never fire.
 * @param dayMatch how day-of-month and day-of-week combine when both are restricted. @default 'or'
 */
export function parseCronExpression(
  expression: string,
  dayMatch: 'or' | 'and' = 'or',
): WallTimeFields {
  if (typeof expression !== 'string' || expression.trim() === '') {
    throw new ScheduleSpecInvalidError(
      FIELD,
      'must be a non-empty cron expression such as "0 9 * * mon-fri"',
    );
  }
  const source = expression.trim();
  const fields = expandAlias(source).split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    throw invalid(
      source,
      `has ${fields.length} fields; expected 5 (minute hour day-of-month month day-of-week) or 6 (second first)`,
    );
  }
  const [second, minute, hour, monthDay, month, weekday] =
    fields.length === 6 ? fields : ['0', ...fields];
  const parsed: WallTimeFields = {
    seconds: parseField(source, second!, SECOND),
    minutes: parseField(source, minute!, MINUTE),
    hours: parseField(source, hour!, HOUR),
    monthDays: parseField(source, monthDay!, MONTH_DAY),
    months: parseField(source, month!, MONTH),
    weekdays: [...new Set(parseField(source, weekday!, WEEKDAY).map((day) => day % 7))].sort(
      (a, b) => a - b,
    ),
    dayMatch,
  };
  const never = whyNeverMatches(parsed);
  if (never !== undefined) throw invalid(source, `can never fire: ${never}`);
  return parsed;
}

function expandAlias(source: string): string {
  if (!source.startsWith('@')) return source;
  const alias = source.toLowerCase();
  const expanded = CRON_ALIASES[alias];
  if (expanded !== undefined) return expanded;
  if (alias === '@reboot') {
    throw invalid(source, 'is not supported: @reboot names no time, so beat cannot schedule it');
  }
  const suggestion = closestMatch(alias, [...Object.keys(CRON_ALIASES), '@reboot']);
  const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
  throw invalid(
    source,
    `is not a known alias${hint}; known: ${Object.keys(CRON_ALIASES).join(', ')}`,
  );
}

function parseField(source: string, text: string, rule: FieldRule): number[] {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    if (item === '') throw invalid(source, `${rule.name} field "${text}" has an empty list item`);
    for (const value of parseItem(source, item, rule)) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

function parseItem(source: string, item: string, rule: FieldRule): number[] {
  const [range, stepText, ...extra] = item.split('/');
  if (extra.length > 0 || range === undefined || range === '') {
    throw invalid(source, `${rule.name} item "${item}" is malformed`);
  }
  const step = stepText === undefined ? 1 : parseStep(source, stepText, rule);
  let low: number;
  let high: number;
  // Weekday 7 is Sunday again: `*` and `a/n` stop at 6 so Sunday is not counted twice.
  const top = rule === WEEKDAY ? 6 : rule.max;
  if (range === '*' || (range === '?' && rule.allowsQuestionMark === true)) {
    [low, high] = [rule.min, top];
  } else if (range.includes('-')) {
    const [from, to, ...rest] = range.split('-');
    if (rest.length > 0 || from === undefined || to === undefined) {
      throw invalid(source, `${rule.name} range "${range}" is malformed`);
    }
    [low, high] = [parseValue(source, from, rule), parseValue(source, to, rule)];
    if (low > high) {
      const [first, last] = /^\d+$/.test(from)
        ? [rule.min, top]
        : [rule.names![rule.min - (rule.nameBase ?? 0)], rule.names![top - (rule.nameBase ?? 0)]];
      throw invalid(
        source,
        `${rule.name} range "${range}" runs backwards; write it as two ranges, e.g. "${from}-${last},${first}-${to}"`,
      );
    }
  } else {
    low = parseValue(source, range, rule);
    // "a/n" means a, a+n, … up to the field's maximum; a bare value is just itself.
    high = stepText === undefined ? low : top;
  }
  const values: number[] = [];
  for (let value = low; value <= high; value += step) values.push(value);
  return values;
}

function parseStep(source: string, text: string, rule: FieldRule): number {
  const span = rule.max - rule.min + (rule.max === 7 ? 0 : 1);
  const step = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(step) || step < 1 || step > span) {
    throw invalid(source, `${rule.name} step "/${text}" must be a whole number from 1 to ${span}`);
  }
  return step;
}

function parseValue(source: string, text: string, rule: FieldRule): number {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    if (value < rule.min || value > rule.max) {
      throw invalid(source, `${rule.name} value ${text} is out of range ${rule.min}-${rule.max}`);
    }
    return value;
  }
  const index = rule.names?.indexOf(text.toLowerCase()) ?? -1;
  if (index !== -1) return index + (rule.nameBase ?? 0);
  throw invalid(source, `${rule.name} value "${text}" ${describeUnknown(text, rule)}`);
}

function describeUnknown(text: string, rule: FieldRule): string {
  if (/[LW#]/i.test(text) && (rule === MONTH_DAY || rule === WEEKDAY)) {
    return 'uses L, W or #, which are not supported';
  }
  if (text === '?')
    return 'is "?", which is allowed only in the day-of-month and day-of-week fields';
  if (rule.names === undefined) return 'is not a whole number';
  const suggestion = closestMatch(text, rule.names);
  const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
  return `is neither a number nor one of ${rule.names.join(', ')}${hint}`;
}

function invalid(source: string, problem: string): ScheduleSpecInvalidError {
  return new ScheduleSpecInvalidError(FIELD, `"${source}" ${problem}`, { expression: source });
}
