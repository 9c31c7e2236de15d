/**
 * Command-line parsing (node:util parseArgs) and validation. Every problem becomes a UsageError
 * with one line naming the option.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

import { isIsoDate } from '../../lambdas/domain/calendar';
import { UsageError } from './errors';

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

interface ParseArgsError extends Error {
  code?: string;
}

function usageFromParseError(error: ParseArgsError, command: string): UsageError {
  const option = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1] ?? '';
  const hint = `(see search-stats ${command} --help)`;
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown option ${option} ${hint}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return new UsageError(
        `${option}: ${error.message.includes('missing') ? 'needs a value' : 'takes no value'} ${hint}`,
      );
    default:
      return new UsageError(`${error.message.split('\n')[0] ?? 'bad arguments'} ${hint}`);
  }
}

/** Parses `argv` strictly against `options`; positionals are returned for the command to check. */
export function parseCommandLine<const O extends OptionSpecs>(
  command: string,
  argv: readonly string[],
  options: O,
) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const e = error as ParseArgsError;
    if (e.code?.startsWith('ERR_PARSE_ARGS')) throw usageFromParseError(e, command);
    throw error;
  }
}

export function required<T>(field: string, value: T | undefined): T {
  if (value === undefined || value === '') throw new UsageError(`${field} is required`);
  return value;
}

/** A real calendar day written YYYY-MM-DD. */
export function isoDay(field: string, value: string | undefined): string {
  const day = required(field, value);
  if (!isIsoDate(day)) throw new UsageError(`${field}: '${day}' is not a real date written YYYY-MM-DD`);
  return day;
}

/** `--from` and `--to`, both real days, from <= to. */
export function dayRange(values: { from?: string; to?: string }): { from: string; to: string } {
  const from = isoDay('--from', values.from);
  const to = isoDay('--to', values.to);
  if (from > to) throw new UsageError(`--from: ${from} is after --to ${to}`);
  return { from, to };
}

export function positiveInt(field: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${field}: must be a positive integer, got '${value}'`);
  }
  return Number(value);
}

export function nonNegativeInt(field: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${field}: must be an integer >= 0, got '${value}'`);
  }
  return Number(value);
}

export function int32(field: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || n < -2147483648 || n > 2147483647) {
    throw new UsageError(`${field}: must be a 32-bit integer, got '${value}'`);
  }
  return n;
}

export function oneOf<const T extends string>(
  field: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${field}: must be one of ${allowed.join(', ')}, got '${value}'`);
  }
  return value as T;
}

/** `postgres://` or `postgresql://` URL, or undefined for the embedded warehouse. */
export function warehouseUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^postgres(ql)?:\/\/\S+$/.test(value)) {
    throw new UsageError(`--warehouse: must be a postgres:// URL, got '${value}'`);
  }
  return value;
}

/** Exactly `count` positional arguments, named for the message. */
export function positionals(command: string, values: readonly string[], names: readonly string[]): string[] {
  if (values.length !== names.length) {
    const expected = names.length === 0 ? 'no positional arguments' : names.join(' ');
    throw new UsageError(
      `${command}: expected ${expected}, got ${values.length === 0 ? 'none' : values.map((v) => `'${v}'`).join(' ')}`,
    );
  }
  return [...values];
}
