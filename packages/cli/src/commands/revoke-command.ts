/** `stem revoke <id>`: workers skip the task, or abort it with --terminate. */
import { Stem } from '@stem/core';
import type { CommandContext } from '../command-line/command-context';
import type { CommandSpec } from '../command-line/command-spec';
import { EXIT_CODES } from '../exit-codes';

async function revoke(context: CommandContext): Promise<number> {
  const taskId = context.positionals[0]!;
  const terminate = context.flag('terminate');
  const reason = context.string('reason') ?? 'revoked with stem revoke';
  const keepForMs = context.duration('keep-for', 1_000);
  const connection = await context.connect(['broker', 'eventBus', 'revocationStore']);
  try {
    const { broker, eventBus, revocationStore } = connection.adapters;
    const stem = new Stem({ broker, eventBus, revocationStore });
    await stem.revoke(taskId, {
      terminate,
      reason,
      ...(keepForMs === undefined ? {} : { keepForMs }),
    });
    if (context.json) context.outJson({ taskId, revoked: true, terminate, reason });
    else context.out(`revoked ${taskId}${terminate ? ' (running copies are aborted)' : ''}`);
    return EXIT_CODES.ok;
  } finally {
    await connection.close();
  }
}

export const revokeCommand: CommandSpec = {
  path: ['revoke'],
  summary: 'revoke a task: workers skip it (and abort it with --terminate)',
  positionals: [{ name: 'id', description: 'the task id' }],
  options: {
    terminate: { type: 'boolean', description: 'also abort the task if it is running' },
    reason: { type: 'string', value: '<text>', description: 'recorded with the REVOKED result' },
    'keep-for': {
      type: 'string',
      value: '<duration>',
      description: 'how long workers remember it (default 1d)',
    },
  },
  examples: [
    'stem revoke 4f1c2b9e-8d6a-4c1e-9f3b-2a7d5e6f8a90',
    'stem revoke 4f1c2b9e-8d6a-4c1e-9f3b-2a7d5e6f8a90 --terminate --reason "wrong input"',
  ],
  run: revoke,
};
