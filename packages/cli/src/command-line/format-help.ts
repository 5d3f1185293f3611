/** `--help` text for the program, a command group and a single command. */
import {
  type CommandGroup,
  type CommandSpec,
  GLOBAL_OPTIONS,
  type OptionSpec,
} from './command-spec';
import { type CommandEntry, entryName } from './parse-command-line';

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  const rows = Object.entries(options).map(([flag, spec]) => {
    const short = spec.short === undefined ? '    ' : `-${spec.short}, `;
    const value = spec.type === 'string' ? ` ${spec.value ?? '<value>'}` : '';
    const repeat = spec.multiple === true ? ' (repeatable)' : '';
    return [`${short}--${flag}${value}`, `${spec.description}${repeat}`] as const;
  });
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

export function formatProgramHelp(table: readonly CommandEntry[]): string {
  const width = Math.max(...table.map((entry) => entryName(entry).length));
  const lines = [
    'Usage: stem <command> [arguments] [options]',
    '',
    'Run Stem workers and beat, enqueue tasks, read results, and manage dead letters and schedules.',
    '',
    'Commands:',
    ...table.map((entry) => `  ${entryName(entry).padEnd(width)}  ${entry.summary}`),
    '',
    'Settings come from flags, then STEM_* environment variables (STEM_BROKER_URL…), then',
    'stem.config.json (or --config <path>). Every command takes --help.',
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Examples:',
    '  stem worker --app ./dist/tasks.js --broker-url redis://127.0.0.1:6379',
    '  stem enqueue email.send --args \'{"to":"ada@example.com"}\'',
    '  stem result 0b7c…-id --wait',
  ];
  return `${lines.join('\n')}\n`;
}

export function formatGroupHelp(group: CommandGroup): string {
  const width = Math.max(...group.commands.map((command) => command.path[1]!.length));
  const lines = [
    `Usage: stem ${group.name} <subcommand> [arguments] [options]`,
    '',
    group.summary,
    '',
    'Subcommands:',
    ...group.commands.map((command) => `  ${command.path[1]!.padEnd(width)}  ${command.summary}`),
    '',
    `Run "stem ${group.name} <subcommand> --help" for its options and examples.`,
    '',
    'Examples:',
    ...group.commands.slice(0, 3).map((command) => `  ${command.examples[0]}`),
  ];
  return `${lines.join('\n')}\n`;
}

export function formatCommandHelp(command: CommandSpec): string {
  const name = `stem ${command.path.join(' ')}`;
  const args = command.positionals
    .map((positional) =>
      positional.optional === true ? `[${positional.name}]` : `<${positional.name}>`,
    )
    .join(' ');
  const lines = [`Usage: ${name}${args === '' ? '' : ` ${args}`} [options]`, '', command.summary];
  if (command.details !== undefined) lines.push('', command.details);
  if (command.positionals.length > 0) {
    const width = Math.max(...command.positionals.map((positional) => positional.name.length + 2));
    lines.push('', 'Arguments:');
    for (const positional of command.positionals) {
      lines.push(`  ${`<${positional.name}>`.padEnd(width)}  ${positional.description}`);
    }
  }
  if (Object.keys(command.options).length > 0)
    lines.push('', 'Options:', ...optionLines(command.options));
  lines.push('', 'Global options:', ...optionLines(GLOBAL_OPTIONS));
  lines.push('', 'Examples:', ...command.examples.map((example) => `  ${example}`));
  return `${lines.join('\n')}\n`;
}
