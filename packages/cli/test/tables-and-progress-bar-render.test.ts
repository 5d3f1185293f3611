// Output helpers: tables pad columns and keep every cell on one printable line; the
// progress bar draws on a terminal only, and counts to its total.
import { formatTable, ProgressBar, run } from '@stem/cli';
import { describe, expect, it } from 'vitest';

describe('formatTable', () => {
  it('pads columns, right-aligns numbers and escapes control characters', () => {
    const rows = [
      { name: 'default', ready: 3 },
      { name: 'evil\n\u001b[31mred', ready: 12_345 },
    ];
    const table = formatTable(
      [
        { header: 'queue', cell: (row: (typeof rows)[number]) => row.name },
        { header: 'ready', cell: (row) => String(row.ready), right: true },
      ],
      rows,
    );
    expect(table.split('\n')).toEqual([
      'queue                ready',
      'default                  3',
      'evil\\n\\u001b[31mred  12345',
    ]);
  });
});

describe('ProgressBar', () => {
  it('draws on a terminal sink and finishes at the total', () => {
    let drawn = '';
    const bar = new ProgressBar(
      {
        write: (text: string) => {
          drawn += text;
        },
      },
      { total: 250, label: 'replaying', width: 10 },
    );
    bar.advance(100);
    expect(bar.render()).toBe('replaying [####......] 100/250  40%');
    bar.advance(200);
    bar.finish();
    expect(drawn.split('\r').at(-1)).toBe('replaying [##########] 250/250 100%\n');
  });

  it('draws nothing without a sink (piped output)', () => {
    const bar = new ProgressBar(undefined, { total: 5, label: 'purging' });
    bar.advance(5);
    bar.finish();
    expect(bar.render()).toBe('purging [##############################] 5/5 100%');
  });
});

describe('help', () => {
  it('every command has --help with examples', async () => {
    const commands = [
      ['worker'],
      ['beat'],
      ['enqueue'],
      ['result'],
      ['revoke'],
      ['ping'],
      ['dlq', 'list'],
      ['dlq', 'show'],
      ['dlq', 'replay'],
      ['dlq', 'purge'],
      ...[
        'add',
        'update',
        'enable',
        'disable',
        'run-now',
        'list',
        'show',
        'delete',
        'history',
        'explain',
        'export',
        'import',
      ].map((sub) => ['schedule', sub]),
      ['observe', 'schedules'],
      ['observe', 'queues'],
      ['observe', 'workers'],
    ];
    for (const words of commands) {
      let stdout = '';
      const code = await run([...words, '--help'], {
        stdout: {
          write: (text: string) => {
            stdout += text;
          },
        },
        stderr: { write: () => true },
        env: {},
        cwd: '/',
      });
      expect(code, words.join(' ')).toBe(0);
      expect(stdout, words.join(' ')).toMatch(new RegExp(`^Usage: stem ${words.join(' ')}`));
      expect(stdout, words.join(' ')).toMatch(/\nExamples:\n {2}stem /);
    }
  });
});
