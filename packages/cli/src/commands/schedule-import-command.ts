/**
 * `stem schedule import <file>`: creates the entries of a `stem schedule export` file
 * that do not exist yet (and, with --replace, updates those that do). Every entry is
 * validated before the first one is written, so a bad file changes nothing.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveEntryInput, type ScheduleEntryInput, type ScheduleExport } from '@stem/beat';
import { CliError } from '../cli-error';
import type { CommandContext } from '../command-line/command-context';
import type { CommandSpec } from '../command-line/command-spec';
import { EXIT_CODES } from '../exit-codes';
import { withService } from './schedule-read-commands';

function readExport(
  context: CommandContext,
  file: string,
): { text: string; entries: ScheduleEntryInput[] } {
  let text: string;
  try {
    text = readFileSync(resolve(context.io.cwd, file), 'utf8');
  } catch (error) {
    throw new CliError(
      'USAGE',
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let document: Partial<ScheduleExport>;
  try {
    document = JSON.parse(text) as Partial<ScheduleExport>;
  } catch (error) {
    throw new CliError('JSON_INVALID', `${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (
    typeof document !== 'object' ||
    document === null ||
    document.format !== 'stem-schedules' ||
    document.version !== 1 ||
    !Array.isArray(document.entries)
  ) {
    throw new CliError(
      'JSON_INVALID',
      `${file} is not a stem schedule export ({ "format": "stem-schedules", "version": 1, "entries": [...] })`,
    );
  }
  const ids = new Set<string>();
  document.entries.forEach((entry, index) => {
    try {
      resolveEntryInput(entry);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw Object.assign(
        new Error(
          `${file} entry ${index} (${JSON.stringify(entry?.id)}): ${(error as Error).message}`,
        ),
        { code },
      );
    }
    if (ids.has(entry.id))
      throw new CliError('USAGE', `${file} has the entry id ${JSON.stringify(entry.id)} twice`);
    ids.add(entry.id);
  });
  return { text, entries: document.entries };
}

async function importEntries(context: CommandContext): Promise<number> {
  const file = context.positionals[0]!;
  const dryRun = context.flag('dry-run');
  const replace = context.flag('replace');
  const { text, entries } = readExport(context, file);
  const counts = await withService(context, async (service) => {
    if (!dryRun) return service.import(text, { replace });
    const existing = (await Promise.all(entries.map((entry) => service.get(entry.id)))).filter(
      (entry) => entry !== undefined,
    ).length;
    return {
      created: entries.length - existing,
      updated: replace ? existing : 0,
      unchanged: replace ? 0 : existing,
    };
  });
  if (context.json) context.outJson({ dryRun, ...counts });
  else {
    const prefix = dryRun ? 'dry run: would have ' : '';
    context.out(
      `${prefix}created ${counts.created}, updated ${counts.updated}, left ${counts.unchanged} unchanged from ${file}`,
    );
  }
  return EXIT_CODES.ok;
}

export const scheduleImportCommand: CommandSpec = {
  path: ['schedule', 'import'],
  summary: 'create (and with --replace update) entries from an export file',
  positionals: [{ name: 'file', description: 'a file written by stem schedule export' }],
  options: {
    replace: { type: 'boolean', description: 'also update entries that already exist' },
    'dry-run': { type: 'boolean', description: 'only report what would change' },
  },
  examples: [
    'stem schedule import schedules.json --dry-run',
    'stem schedule import schedules.json --replace',
  ],
  run: importEntries,
};
