/**
 * Plain-text tables: a header row and columns padded to their widest cell. Cells are
 * kept on one line (control characters shown escaped) so a value can never break the
 * layout or smuggle terminal escapes.
 */

export interface Column<TRow> {
  header: string;
  cell(row: TRow): string;
  /** Right-align (numbers). @default false */
  right?: boolean;
}

/** One line, printable: control characters escaped, long cells cut. */
export function printable(text: string, maxLength = 80): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) =>
    JSON.stringify(char).slice(1, -1),
  );
  return escaped.length > maxLength ? `${escaped.slice(0, maxLength - 1)}…` : escaped;
}

export function formatTable<TRow>(columns: readonly Column<TRow>[], rows: readonly TRow[]): string {
  const cells = rows.map((row) => columns.map((column) => printable(column.cell(row))));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((line) => line[index]!.length)),
  );
  const render = (line: readonly string[]) =>
    line
      .map((cell, index) => {
        const width = widths[index]!;
        return columns[index]!.right === true ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [render(columns.map((column) => column.header)), ...cells.map(render)].join('\n');
}
