import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, screenshot } from '../helpers/browser';
import { e2eSuite, waitForBoard } from '../helpers/e2e';
import { DEMO } from '../helpers/testApp';

// The shared whiteboard of a call, in two real Chromium browsers through the real server: the
// customer opens the whiteboard in the call and draws a freehand stroke with the mouse; it appears
// on the agent's board (in the scene and as pixels on the canvas); the customer freezes their shared
// screen under the drawing; everything is still there after the agent reloads the page, and once
// the agent hangs up, the ticket shows the saved board's picture and opens it read-only.

const e2e = e2eSuite({ env: { CALL_REJOIN_GRACE_SECONDS: '20' } });

interface SceneElement {
  id: string;
  type: string;
  version: number;
  points?: unknown[];
}

/** The scene of the board shown on the page (the client's read-only test hook). */
function boardElements(page: Page): Promise<SceneElement[]> {
  return page.evaluate(
    () =>
      (
        window as unknown as { __livedeskBoard?: { elements(): SceneElement[] } }
      ).__livedeskBoard?.elements() ?? [],
  );
}

/**
 * Pixels of the board's drawing canvas that are not the white background (`ink`), and of those the
 * clearly green ones (Chromium's fake screen is green, so they are the frozen frame, not the grey
 * placeholder Excalidraw shows while a picture loads).
 */
function canvasPixels(page: Page): Promise<{ ink: number; green: number }> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="whiteboard"] canvas.static');
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return { ink: -1, green: -1 };
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let ink = 0;
    let green = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
      if (a > 0 && (r < 200 || g < 200 || b < 200)) ink++;
      if (a > 0 && g - r > 60 && g - b > 60) green++;
    }
    return { ink, green };
  });
}
const inkPixels = async (page: Page) => (await canvasPixels(page)).ink;

describe('the shared whiteboard in a call', () => {
  it('shares a freehand stroke live, keeps it across a reload, and saves it on the ticket', async () => {
    const [a, c] = await Promise.all([e2e.signedIn(DEMO.agentL1), e2e.signedIn(DEMO.customer)]);
    const agent = a.page;
    const customer = c.page;

    const ticket = await e2e.newTicket(
      c.login.token,
      'Where do I publish the assignment?',
      'Can you show me?',
    );

    // Into a call through the UI: the agent calls, the customer accepts and joins.
    await e2e.connectCall(agent, customer, ticket.id);

    // The customer opens the whiteboard, picks the freehand tool and draws with the mouse.
    await customer.getByRole('button', { name: 'Whiteboard' }).click();
    await waitForBoard(customer);
    await customer.getByTitle(/^Draw —/).click();
    await customer
      .getByRole('radio', { name: 'Draw' })
      .and(customer.locator(':checked'))
      .waitFor({ state: 'attached' });
    const canvas = customer.locator('[data-testid="whiteboard"] canvas.interactive');
    const box = (await canvas.boundingBox())!;
    const x0 = box.x + box.width * 0.3;
    const y0 = box.y + box.height * 0.5;
    await customer.mouse.move(x0, y0);
    await customer.mouse.down();
    for (let i = 1; i <= 24; i++) {
      await customer.mouse.move(x0 + i * 12, y0 + Math.sin(i / 3) * 50, { steps: 2 });
    }
    await customer.mouse.up();
    await expect.poll(async () => (await boardElements(customer)).map((e) => e.type)).toEqual(['freedraw']);

    // The agent's board opens by itself when the customer draws, with the stroke in it.
    await waitForBoard(agent);
    await expect
      .poll(async () => (await boardElements(agent)).filter((e) => e.type === 'freedraw').length, {
        timeout: 10_000,
      })
      .toBe(1);
    const [atCustomer] = await boardElements(customer);
    // The same element at its final version (all of the stroke, not a half-drawn one).
    await expect.poll(async () => (await boardElements(agent))[0]?.version).toBe(atCustomer!.version);
    await expect.poll(() => inkPixels(agent)).toBeGreaterThan(100);
    await screenshot(agent, 'board-agent-in-call');
    await screenshot(customer, 'board-customer-in-call');

    // "Annotate the screen": the customer shares a screen and freezes a frame of it under the
    // drawing; the agent gets the picture and the (locked, bottom-most) image element showing it.
    await customer.getByRole('button', { name: 'Share screen' }).click();
    await customer.getByRole('button', { name: 'Stop sharing' }).first().waitFor();
    await customer.getByRole('button', { name: 'Annotate the screen' }).click();
    await expect
      .poll(() =>
        agent.evaluate(
          () =>
            (window as unknown as { __livedeskBoard: { background(): string | null } }).__livedeskBoard
              .background()
              ?.slice(0, 11) ?? null,
        ),
      )
      .toBe('data:image/');
    await expect
      .poll(async () => (await boardElements(agent)).map((e) => e.type))
      .toEqual(['image', 'freedraw']);
    await expect.poll(async () => (await canvasPixels(agent)).green).toBeGreaterThan(10_000);
    await screenshot(agent, 'board-agent-annotating');

    // A reload: the agent rejoins the call and the board comes back with the stroke.
    await agent.reload();
    await agent.locator('[data-call-status="connected"]').waitFor({ timeout: 30_000 });
    await waitForBoard(agent);
    await expect
      .poll(async () => (await boardElements(agent)).map((e) => e.id), { timeout: 10_000 })
      .toEqual(['livedesk-background', atCustomer!.id]);
    await expect.poll(() => inkPixels(agent)).toBeGreaterThan(100);

    // Hang up: the board is saved on the ticket, as a picture both sides see there.
    await agent.getByRole('button', { name: 'Hang up' }).click();
    await agent.getByRole('heading', { name: 'Call ended' }).waitFor();
    await customer.goto(`${e2e.url}/tickets/${ticket.id}`);
    const saved = customer.getByTestId('saved-board');
    await saved.waitFor({ timeout: 15_000 });
    await customer.waitForFunction(
      () => {
        const img = document.querySelector<HTMLImageElement>('[data-testid="saved-board-image"]');
        return Boolean(img?.complete && img.naturalWidth > 0);
      },
      undefined,
      { timeout: 15_000 },
    );
    await screenshot(customer, 'board-saved-on-ticket');
    if (SCREENSHOT_DIR) await saved.screenshot({ path: `${SCREENSHOT_DIR}/board-saved-card.png` });

    // "Open" shows it read-only: the stroke is there, and nothing can be drawn.
    await saved.getByRole('button', { name: 'Open' }).click();
    const viewer = customer.getByTestId('board-viewer');
    await viewer.locator('canvas').first().waitFor();
    await viewer.locator('.excalidraw--view-mode').waitFor();
    await screenshot(customer, 'board-saved-viewer');
  });
});
