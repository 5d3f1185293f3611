/**
 * The whole CLI as a function: `run(argv, io)` resolves to the exit code. The binary
 * (stem.ts) calls it with the real process; tests call it in-process with buffers, so
 * both go through the same parsing, validation and error reporting. Every failure is
 * one line on stderr (and a JSON object on stdout with --json); stacks only with --verbose.
 */
import type { CliIo } from './cli-io';
import { CommandContext } from './command-line/command-context';
import type { OptionSpec } from './command-line/command-spec';
import { formatCommandHelp, formatGroupHelp, formatProgramHelp } from './command-line/format-help';
import { allOptions, isGroup, parseCommandLine } from './command-line/parse-command-line';
import { COMMAND_TABLE } from './commands/command-table';
import { loadConfigFile } from './config/load-config-file';
import { EXIT_CODES, exitCodeFor } from './exit-codes';

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const wantsJson = flagBeforeTerminator(argv, '--json');
  const verbose = flagBeforeTerminator(argv, '--verbose');
  try {
    const parsed = parseCommandLine(argv, COMMAND_TABLE);
    if (parsed.kind === 'help') {
      const text =
        parsed.command !== undefined
          ? formatCommandHelp(parsed.command)
          : parsed.group !== undefined
            ? formatGroupHelp(parsed.group)
            : formatProgramHelp(COMMAND_TABLE);
      io.stdout.write(text);
      return EXIT_CODES.ok;
    }
    const configPath = parsed.flags.get('config');
    const config = loadConfigFile(
      io,
      typeof configPath === 'string' ? configPath : undefined,
      configurableOptions(),
    );
    const context = new CommandContext(
      parsed.command,
      io,
      parsed.flags,
      parsed.positionals,
      config,
    );
    context.validateGlobals();
    return await parsed.command.run(context);
  } catch (error) {
    return reportError(error, io, { json: wantsJson, verbose });
  }
}

/** Configurable options of every command: the keys a config file may hold. */
function configurableOptions(): Map<string, OptionSpec> {
  const options = new Map<string, OptionSpec>();
  for (const entry of COMMAND_TABLE) {
    for (const command of isGroup(entry) ? entry.commands : [entry]) {
      for (const [flag, spec] of Object.entries(allOptions(command))) {
        if (spec.configurable === true) options.set(flag, spec);
      }
    }
  }
  return options;
}

function flagBeforeTerminator(argv: readonly string[], flag: string): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes(flag);
}

/** One line on stderr; the stack only with --verbose; a JSON error object with --json. */
export function reportError(
  error: unknown,
  io: CliIo,
  mode: { json: boolean; verbose: boolean },
): number {
  const exitCode = exitCodeFor(error);
  // Matched by code, not class: errors from threads or other module copies are plain data.
  const known = exitCode !== EXIT_CODES.internal;
  const code = known ? String((error as { code: unknown }).code) : 'INTERNAL';
  const message = oneLine(error instanceof Error ? error.message : String(error));
  const hint = known ? '' : ' (an unexpected error: rerun with --verbose and report it)';
  io.stderr.write(`stem: error: ${message}${hint}\n`);
  if (mode.verbose && error instanceof Error && error.stack !== undefined) {
    io.stderr.write(`${error.stack}\n`);
  }
  if (mode.json) {
    io.stdout.write(`${JSON.stringify({ error: { code, message, exitCode } })}\n`);
  }
  return exitCode;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return flat === '' ? 'unknown error' : flat;
}
