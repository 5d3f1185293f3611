#!/usr/bin/env node
/**
 * The `stem` binary: runs the CLI on the real process and exits with its code. Exiting
 * explicitly (after stdout drains) keeps a reconnecting driver from holding the process.
 */
import { processIo } from './cli-io';
import { quietDriverChatter } from './driver-chatter';
import { run } from './run';

const argv = process.argv.slice(2);
if (!argv.includes('--verbose')) quietDriverChatter();
const code = await run(argv, processIo());
process.exitCode = code;
process.stdout.write('', () => process.exit(code));
