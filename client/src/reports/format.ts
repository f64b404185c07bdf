import { formatDuration, formatNumber } from '../lib/format';

/** A duration in seconds for a table or card; "—" when nothing was measured. */
export const seconds = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : formatDuration(Math.round(value));

export const percent = (value: number | null | undefined) =>
  value === null || value === undefined
    ? '—'
    : formatNumber(value, { style: 'percent', maximumFractionDigits: 1 });

export const decimal = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined ? '—' : formatNumber(value, { maximumFractionDigits: digits });
