// A few inline icons (no icon font or library to load). All decorative: the control beside or
// around them carries the accessible name.
const base = {
  width: 16,
  height: 16,
  viewBox: '0 0 24 24',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 2,
  strokeLinecap: 'round' as const,
  strokeLinejoin: 'round' as const,
};

export function PaperclipIcon({ size = 16 }: { size?: number }) {
  return (
    <svg aria-hidden="true" {...base} width={size} height={size}>
      <path d="M21.44 11.05l-9.19 9.19a6 6 0 0 1-8.49-8.49l9.19-9.19a4 4 0 0 1 5.66 5.66l-9.2 9.19a2 2 0 0 1-2.83-2.83l8.49-8.48" />
    </svg>
  );
}

export function CloseIcon({ size = 16 }: { size?: number }) {
  return (
    <svg aria-hidden="true" {...base} width={size} height={size}>
      <path d="M18 6 6 18M6 6l12 12" />
    </svg>
  );
}

export function ChevronIcon({ open, size = 16 }: { open: boolean; size?: number }) {
  return (
    <svg
      aria-hidden="true"
      {...base}
      width={size}
      height={size}
      style={{ transform: open ? 'rotate(180deg)' : undefined, transition: 'transform 150ms' }}
    >
      <path d="m6 9 6 6 6-6" />
    </svg>
  );
}

export function MenuIcon({ size = 16 }: { size?: number }) {
  return (
    <svg aria-hidden="true" {...base} width={size} height={size}>
      <path d="M4 6h16M4 12h16M4 18h16" />
    </svg>
  );
}

export function CheckMarkIcon({ size = 16 }: { size?: number }) {
  return (
    <svg aria-hidden="true" {...base} width={size} height={size}>
      <path d="M20 6 9 17l-5-5" />
    </svg>
  );
}
