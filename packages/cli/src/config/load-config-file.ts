/**
 * Reads the config file: `--config <path>`, else `STEM_CONFIG`, else `./stem.config.json`
 * when it exists. Keys are the camelCase names of configurable flags (`brokerUrl`,
 * `queues`, `concurrency`…); anything else is refused with a suggestion, so a typo
 * never silently falls back to a default.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { closestMatch } from '@stem/core';
import { CliError } from '../cli-error';
import type { CliIo } from '../cli-io';
import { camelCase, type OptionSpec } from '../command-line/command-spec';

export const DEFAULT_CONFIG_FILE = 'stem.config.json';

/** Flag name → its text (or texts), as if given on the command line. */
export type ConfigValues = ReadonlyMap<string, string | string[] | boolean>;

export function loadConfigFile(
  io: CliIo,
  explicitPath: string | undefined,
  configurable: ReadonlyMap<string, OptionSpec>,
): ConfigValues {
  const given = explicitPath ?? emptyToUndefined(io.env.STEM_CONFIG);
  const path = resolve(io.cwd, given ?? DEFAULT_CONFIG_FILE);
  if (given === undefined && !existsSync(path)) return new Map();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(
      'CONFIG_INVALID',
      `cannot read the config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      'CONFIG_INVALID',
      `the config file ${path} is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError('CONFIG_INVALID', `the config file ${path} must hold a JSON object`);
  }
  const byKey = new Map([...configurable].map(([flag, spec]) => [camelCase(flag), { flag, spec }]));
  const values = new Map<string, string | string[] | boolean>();
  for (const [key, value] of Object.entries(parsed)) {
    const known = byKey.get(key);
    if (known === undefined) {
      const suggestion = closestMatch(key, [...byKey.keys()]);
      const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
      throw new CliError(
        'CONFIG_INVALID',
        `the config file ${path} has an unknown key "${key}"${hint}`,
      );
    }
    values.set(known.flag, configValue(path, key, value, known.spec));
  }
  return values;
}

function configValue(
  path: string,
  key: string,
  value: unknown,
  spec: OptionSpec,
): string | string[] | boolean {
  if (spec.type === 'boolean') {
    if (typeof value === 'boolean') return value;
  } else if (
    spec.multiple === true &&
    Array.isArray(value) &&
    value.every((item) => typeof item === 'string')
  ) {
    return value as string[];
  } else if (typeof value === 'string') {
    return spec.multiple === true ? value.split(',') : value;
  } else if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  const expected =
    spec.type === 'boolean'
      ? 'true or false'
      : spec.multiple === true
        ? 'a string or an array of strings'
        : 'a string or a number';
  throw new CliError(
    'CONFIG_INVALID',
    `the config file ${path}: "${key}" must be ${expected}, not ${JSON.stringify(value)}`,
  );
}

export function emptyToUndefined(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}
