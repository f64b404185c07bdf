import { Group, Pagination, Stack, Table, Text, useMatches } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * The administration's paged list: a table that scrolls sideways on a phone rather than squeezing
 * its columns, the count under it and the pages when there is more than one; an empty state
 * instead of an empty table.
 */
export function PagedTable({
  head,
  children,
  total,
  page,
  pageSize,
  onPage,
  count,
  empty,
  minWidth = 640,
  striped = false,
  cards,
}: {
  /** The header cells (`Table.Th`). */
  head: ReactNode;
  /** The rows (`Table.Tr`) of this page. */
  children: ReactNode;
  total: number;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  /** "12 users": the count line, already translated. */
  count: string;
  /** Shown instead of the table when this page has no rows. */
  empty: ReactNode;
  minWidth?: number;
  striped?: boolean;
  /** On a phone, these instead of the table (a list that would otherwise scroll sideways). */
  cards?: ReactNode;
}) {
  const phone = useMatches({ base: true, sm: false });
  if (total === 0 || !hasRows(children)) {
    return (
      <Text c="dimmed" py="lg" ta="center">
        {empty}
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      {phone && cards ? (
        cards
      ) : (
        <Table.ScrollContainer minWidth={minWidth}>
          <Table striped={striped} highlightOnHover verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>{head}</Table.Tr>
            </Table.Thead>
            <Table.Tbody>{children}</Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {count}
        </Text>
        {total > pageSize && (
          <Pagination total={Math.ceil(total / pageSize)} value={page} onChange={onPage} size="sm" />
        )}
      </Group>
    </Stack>
  );
}

const hasRows = (children: ReactNode) => !(Array.isArray(children) && children.length === 0);
