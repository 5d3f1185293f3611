/**
 * `pnpm bench`: Stem's benchmarks, each printing absolute figures and the ratio to its
 * baseline measured in the same run on the same machine. Sizes can be scaled with
 * STEM_BENCH_SCALE (1 = default).
 */
import { codecBench } from './codec-bench';
import { inMemoryRoundTripBench } from './in-memory-round-trip-bench';
import { poolBench } from './pool-bench';

const scale = Number(process.env.STEM_BENCH_SCALE ?? '1');

async function main(): Promise<void> {
  console.log(`stem bench (node ${process.version}, scale ${scale})\n`);
  for (const line of await codecBench(Math.round(50_000 * scale))) console.log(line);
  console.log('');
  for (const line of await inMemoryRoundTripBench(Math.round(20_000 * scale))) console.log(line);
  console.log('');
  for (const line of await poolBench(Math.round(10_000 * scale))) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
