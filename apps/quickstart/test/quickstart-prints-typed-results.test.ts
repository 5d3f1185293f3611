import { describe, expect, it } from 'vitest';
import { runQuickstart } from '../src/quickstart';

describe('quickstart', () => {
  it('runs every step on the embedded default and prints the results', async () => {
    const lines: string[] = [];
    await runQuickstart('memory://quickstart-test', (line) => lines.push(line));
    const output = lines.join('\n');
    expect(output).toContain('math.add(2, 40) = 42');
    expect(output).toMatch(/math\.add\(1, 1\) delayed 300 ms = 2 \(after (\d+) ms\)/);
    const waited = Number(/after (\d+) ms/.exec(output)?.[1]);
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(output).toContain('text.count-words: 9 words, longest "quick"');
    expect(output).toContain('net.flaky-fetch succeeded on attempt 2 with status 200');
    expect(output).toContain('billing.charge-card failed for good');
    expect(output).not.toContain('4242424242424242');
    expect(output).toContain('dead letters on "default": 1 (TASK_FAILED)');
    expect(lines.at(-1)).toBe('quickstart finished');
  });
});
