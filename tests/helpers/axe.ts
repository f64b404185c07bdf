import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

// axe-core (the engine behind most accessibility checkers), run inside a page of a context opened
// with `bypassCSP: true` (the app's policy allows only its own scripts).
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; html: string; failureSummary?: string }>;
}

/**
 * Runs axe-core in `page` (its source injected, as a browser extension would) and fails with each
 * serious or critical violation's rule, element and reason.
 */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: unknown }> } }
    ).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  // Besides the serious and critical ones: content outside every landmark (moderate in axe), which a
  // screen-reader user skipping from region to region never reaches. A tooltip is the exception: it
  // shows beside the hovered or focused control (in a portal) and is read out as that control's
  // description, never on its own.
  const counted = (violations as AxeViolation[])
    .map((v) =>
      v.id === 'region' ? { ...v, nodes: v.nodes.filter((n) => !n.html.includes('role="tooltip"')) } : v,
    )
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'region');
  const report = counted.flatMap((v) =>
    v.nodes.map(
      (n) =>
        `${v.id} (${v.impact}) ${JSON.stringify(n.target)} ${n.html.slice(0, 160)}: ${v.help}. ${n.failureSummary ?? ''}`,
    ),
  );
  // Soft: one run lists every page's violations, not just the first page's.
  expect.soft(report.length, `axe-core on ${name}:\n${report.join('\n')}`).toBe(0);
}
