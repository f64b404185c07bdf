import { Button, Group, Paper, ScrollArea, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadCsv } from './csv';

export interface Column<T> {
  header: string;
  /** What the cell shows. */
  cell: (row: T) => ReactNode;
  /** What the CSV holds (raw numbers, not "1 h 5 min"), so a spreadsheet can compute with it. */
  csv: (row: T) => string | number | null;
  numeric?: boolean;
  /** Only in the CSV (e.g. the subject, which the screen shows inside the ticket's link). */
  csvOnly?: boolean;
}

/** A titled table with an "Export CSV" button; scrolls sideways on a phone instead of squeezing. */
export function DataTable<T>({
  title,
  fileName,
  columns,
  rows,
  rowKey,
  empty,
  minWidth = 480,
}: {
  title: string;
  fileName: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T, index: number) => string;
  empty?: string;
  minWidth?: number;
}) {
  const { t } = useTranslation();
  const shown = columns.filter((c) => !c.csvOnly);
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Group justify="space-between" mb="sm" gap="xs">
        <Title order={3} size="h5">
          {title}
        </Title>
        <Button
          size="compact-sm"
          variant="default"
          disabled={rows.length === 0}
          onClick={() =>
            downloadCsv(
              fileName,
              columns.map((c) => c.header),
              rows.map((r) => columns.map((c) => c.csv(r))),
            )
          }
        >
          {t('reports.exportCsv')}
        </Button>
      </Group>
      {rows.length === 0 ? (
        <Text c="dimmed" size="sm">
          {empty ?? t('reports.noData')}
        </Text>
      ) : (
        <ScrollArea type="auto">
          <Table miw={minWidth} striped highlightOnHover verticalSpacing={6} fz="sm">
            <Table.Thead>
              <Table.Tr>
                {shown.map((c) => (
                  <Table.Th key={c.header} ta={c.numeric ? 'right' : undefined}>
                    {c.header}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row, i) => (
                <Table.Tr key={rowKey(row, i)}>
                  {shown.map((c) => (
                    <Table.Td key={c.header} ta={c.numeric ? 'right' : undefined}>
                      {c.cell(row)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Paper>
  );
}
