/** Entry point of `pnpm demo`: runs the quickstart and exits non-zero on any failure. */
import { runQuickstart } from './quickstart';

runQuickstart(process.env.STEM_BROKER_URL).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
