import { type CSSVariablesResolver, createTheme, darken, luminance, type MantineTheme } from '@mantine/core';

// System fonts only (nothing to download), with the common CJK faces so 中文 renders natively.
const fontFamily =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", sans-serif';

// Every text colour below meets WCAG AA for normal text (4.5:1), checked by axe-core in the e2e
// suite (tests/e2e/accessibility.test.ts). Mantine's defaults do not: see docs/client.md.
export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 6 puts white on indigo at 4.32:1; shade 7 is 4.98:1. It also darkens links and every
  // other filled colour one step.
  primaryShade: { light: 7, dark: 8 },
  // On a filled colour the text is black or white, whichever contrasts more: 0.179 is the
  // luminance at which both give the same ratio (Mantine's default, 0.3, keeps white text on
  // colours as light as orange, 3:1).
  autoContrast: true,
  luminanceThreshold: 0.179,
  defaultRadius: 'md',
  // Someone whose system asks for less motion gets Mantine's transitions (modals, menus, collapsing
  // sections) as instant changes; styles.css stills the animations.
  respectReducedMotion: true,
  fontFamily,
  headings: { fontFamily },
});

const AA = 4.5;

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `color` darkened in small steps until it reads at AA on `background` (a margin above 4.5). */
function readableOn(color: string, background: string): string {
  for (let step = 0; step <= 10; step++) {
    const candidate = step === 0 ? color : darken(color, step / 20);
    if (contrast(candidate, background) >= AA + 0.1) return candidate;
  }
  return darken(color, 0.5);
}

/**
 * The light colour scheme's text colours, made readable:
 * - "dimmed" text (hints, captions, timestamps) is gray 6 by default: 3.32:1 on white. Gray 7 is 7.6:1
 *   or better on the app's surfaces.
 * - `c="red"` and friends (`--mantine-color-X-text`) use the filled shade, as light as 2:1 on white.
 * - the "light" variant (badges, buttons) puts shade 9 on shade 1: 4.3:1 for teal, 2.7:1 for yellow.
 * (MantineProvider merges these over its own variables.)
 */
export const cssVariablesResolver: CSSVariablesResolver = (t: MantineTheme) => {
  const light: Record<string, string> = { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' };
  const page = t.colors.gray[0];
  for (const [name, shades] of Object.entries(t.colors)) {
    light[`--mantine-color-${name}-text`] = readableOn(shades[7], page);
    light[`--mantine-color-${name}-light-color`] = readableOn(shades[9], shades[1]);
  }
  return { variables: {}, light, dark: {} };
};
