/**
 * Renders a ledger verdict for a failing assertion or a run log: the counts, then the
 * first few ids of each finding so a reader can grep the ledger files for them.
 */
import type { LedgerReport } from './check-ledger';

/** How many ids of each finding `formatLedgerReport` lists. */
const LISTED_IDS = 10;

/** Human-readable text of a `checkLedger` report (several lines, no trailing newline). */
export function formatLedgerReport(report: LedgerReport): string {
  const explained = report.duplicates.length - report.unexplainedDuplicates;
  const lines = [
    `ledger ${report.ok ? 'OK' : 'FAILED'}: ${report.enqueued} enqueued, ${report.done} done, ` +
      `${report.restarted} started more than once, ${report.faults} fault lines`,
    `  lost: ${report.lost.length}${listIds(report.lost)}`,
    `  unexpected: ${report.unexpected.length}${listIds(report.unexpected)}`,
    `  duplicates: ${report.duplicates.length} (${explained} explained, ` +
      `${report.unexplainedDuplicates} unexplained)`,
  ];
  const unexplained = report.duplicates.filter((duplicate) => !duplicate.explained);
  const shown = [...unexplained, ...report.duplicates.filter((duplicate) => duplicate.explained)];
  for (const duplicate of shown.slice(0, LISTED_IDS)) {
    lines.push(
      `    ${duplicate.explained ? 'explained' : 'UNEXPLAINED'} ${duplicate.taskId} ` +
        `done ${duplicate.doneCount}x by ${duplicate.doneBy.join(', ')}: ${duplicate.explanation}`,
    );
  }
  if (shown.length > LISTED_IDS) lines.push(`    … and ${shown.length - LISTED_IDS} more`);
  if (report.seeds.length > 0) {
    lines.push(`  replay with fault driver seed ${report.seeds.join(', ')}`);
  }
  return lines.join('\n');
}

function listIds(ids: readonly string[]): string {
  if (ids.length === 0) return '';
  const more = ids.length > LISTED_IDS ? `, … ${ids.length - LISTED_IDS} more` : '';
  return ` [${ids.slice(0, LISTED_IDS).join(', ')}${more}]`;
}
