export { CliError, type CliErrorCode } from './cli-error';
export { type CliIo, processIo, type TextSink } from './cli-io';
export type { CommandGroup, CommandSpec, OptionSpec } from './command-line/command-spec';
export { parseDuration, parseInstant, parseInteger, parseJson } from './command-line/option-values';
export { COMMAND_TABLE } from './commands/command-table';
export { EXIT_CODES, type ExitCodeName, exitCodeFor } from './exit-codes';
export { formatTable } from './output/format-table';
export { ProgressBar, type ProgressBarOptions } from './output/progress-bar';
export { run } from './run';
