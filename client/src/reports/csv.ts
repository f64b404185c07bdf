import Papa from 'papaparse';

/**
 * Downloads a table as CSV. UTF-8 with a byte-order mark: without it Excel reads the file in the
 * system's legacy code page and Chinese turns into mojibake. CRLF line ends, as Excel writes them.
 */
export function downloadCsv(
  fileName: string,
  header: string[],
  rows: Array<Array<string | number | null>>,
): void {
  const text = Papa.unparse(
    { fields: header, data: rows.map((r) => r.map((v) => (v === null ? '' : v))) },
    { newline: '\r\n' },
  );
  const blob = new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName.endsWith('.csv') ? fileName : `${fileName}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
