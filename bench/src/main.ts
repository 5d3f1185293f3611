/**
 * `pnpm bench [name…]`: Stem's benchmarks, each printing absolute figures and the ratio
 * to its baseline measured in the same run on the same machine. With names, only those
 * run (`pnpm bench redis`); without, all of them. Sizes scale with STEM_BENCH_SCALE
 * (1 = default).
 */
import { beatBench } from './beat-bench';
import { canvasBench } from './canvas-bench';
import { codecBench } from './codec-bench';
import { inMemoryRoundTripBench } from './in-memory-round-trip-bench';
import { poolBench } from './pool-bench';
import { redisBench } from './redis-bench';

const scale = Number(process.env.STEM_BENCH_SCALE ?? '1');

/** Every benchmark by the name `pnpm bench <name>` selects it with. */
const BENCHES: Record<string, () => Promise<string[]>> = {
  codec: () => codecBench(Math.round(50_000 * scale)),
  'in-memory': () => inMemoryRoundTripBench(Math.round(20_000 * scale)),
  pool: () => poolBench(Math.round(10_000 * scale)),
  redis: () => redisBench(scale),
  canvas: () => canvasBench(Math.round(10_000 * scale)),
  beat: () => beatBench(scale),
};

async function main(): Promise<void> {
  // pnpm passes a `--` through when the caller wrote one; it selects nothing.
  const selected = process.argv.slice(2).filter((arg) => arg !== '--');
  const unknown = selected.filter((name) => !(name in BENCHES));
  if (unknown.length > 0) {
    console.error(
      `unknown bench ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`,
    );
    process.exitCode = 2;
    return;
  }
  const names = selected.length === 0 ? Object.keys(BENCHES) : selected;
  console.log(`stem bench (node ${process.version}, scale ${scale}): ${names.join(', ')}\n`);
  for (const [index, name] of names.entries()) {
    if (index > 0) console.log('');
    for (const line of await (BENCHES[name] as () => Promise<string[]>)()) console.log(line);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
