import {
  DEFAULT_THEME,
  defaultCssVariablesResolver,
  getContrastColor,
  luminance,
  mergeMantineTheme,
} from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { cssVariablesResolver, theme } from '../../client/src/theme';

// WCAG AA asks 4.5:1 for normal text. The e2e accessibility test checks the colours the pages use
// today; this checks every colour of the palette, so a badge in a new colour is readable too.

const merged = mergeMantineTheme(DEFAULT_THEME, theme);
// What the page gets: Mantine's own variables with the app's resolver merged over them.
const light: Record<string, string> = {
  ...defaultCssVariablesResolver(merged).light,
  ...cssVariablesResolver(merged).light,
};

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
const BLACK = merged.black;
const WHITE = merged.white;
const resolve = (value: string) => (value === 'var(--mantine-color-black)' ? BLACK : WHITE);
const colours = Object.entries(merged.colors);
/** A CSS value as the browser resolves it: `var(--mantine-color-teal-text)` → … → `#087f5b`. */
function colourOf(value: string): string {
  const shadeMatch = /^var\(--mantine-color-([a-z]+)-(\d)\)$/.exec(value);
  if (shadeMatch) return merged.colors[shadeMatch[1]!]![Number(shadeMatch[2])]!;
  const varMatch = /^var\((--[a-z0-9-]+)\)$/.exec(value);
  if (varMatch) {
    const next = light[varMatch[1]!];
    if (next === undefined) throw new Error(`${varMatch[1]} is not set`);
    return colourOf(next);
  }
  return value;
}

describe('theme contrast (light scheme)', () => {
  it('puts dimmed text at 4.5:1 or more on white and on the light-gray surfaces', () => {
    const dimmed = colourOf('var(--mantine-color-dimmed)');
    for (const surface of [WHITE, merged.colors.gray[0]]) {
      expect(contrast(dimmed, surface), `${dimmed} on ${surface}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it.each(colours.map(([name]) => name))(
    'reads %s as text, as light-variant text and on its filled shade',
    (name) => {
      const text = colourOf(`var(--mantine-color-${name}-text)`);
      expect(contrast(text, WHITE), `${name} text on white`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(text, merged.colors.gray[0]), `${name} text on gray 0`).toBeGreaterThanOrEqual(4.5);
      const lightText = colourOf(`var(--mantine-color-${name}-light-color)`);
      const lightBackground = colourOf(`var(--mantine-color-${name}-light)`);
      expect(contrast(lightText, lightBackground), `${name} light variant`).toBeGreaterThanOrEqual(4.5);
      // A filled button or badge: the primary shade, with the text auto-contrast picks for it.
      const filled = colourOf(`var(--mantine-color-${name}-filled)`);
      const onFilled = resolve(getContrastColor({ color: name, theme: merged, autoContrast: true }));
      expect(contrast(onFilled, filled), `${name} filled (${onFilled} on ${filled})`).toBeGreaterThanOrEqual(
        4.5,
      );
    },
  );

  it('fills the primary colour with shade 7: white on indigo at 4.98:1', () => {
    expect(merged.primaryShade).toEqual({ light: 7, dark: 8 });
    expect(contrast(WHITE, merged.colors.indigo[7])).toBeGreaterThan(4.9);
  });
});
