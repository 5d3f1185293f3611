// Fails when an adapter package does not run the shared conformance suites: every
// package under packages/adapters/ must have test/conformance.test.ts that calls at
// least one describe…Conformance from @stem/testing.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const adaptersDir = 'packages/adapters';
const problems = [];
const adapters = existsSync(adaptersDir) ? readdirSync(adaptersDir) : [];
for (const adapter of adapters) {
  const file = join(adaptersDir, adapter, 'test', 'conformance.test.ts');
  if (!existsSync(file)) {
    problems.push(`${adapter}: missing ${file}`);
    continue;
  }
  if (!/describe\w+Conformance\(/.test(readFileSync(file, 'utf8'))) {
    problems.push(`${adapter}: ${file} calls no describe…Conformance() from @stem/testing`);
  }
}
if (problems.length > 0) {
  console.error(`conformance wiring check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`conformance wiring: ${adapters.length} adapter package(s) checked, all wired`);
