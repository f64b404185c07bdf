import { z } from 'zod';
import { BOARD_ELEMENT_TYPES } from '../../signaling/shared/boardMerge';
import { BOARD_LIMITS } from '../../signaling/shared/limits';
import type { PublicUser } from '../../signaling/shared/protocol';
import type { AttachmentsService } from '../attachments/service';
import type { CallsRepository } from '../calls/repository';
import type { Database } from '../db/client';
import type { BoardRow } from '../db/schema';
import { AppError, badRequest, conflict, forbidden, notFound } from '../errors';
import type { EventBus } from '../events/bus';
import type { Logger } from '../logger';
import { canRead } from '../tickets/access';
import type { TicketsRepository } from '../tickets/repository';
import { systemMessage } from '../tickets/systemMessages';
import { buildMessageViews, toTimelineEntry } from '../tickets/views';
import { containsNul, NUL_MESSAGE } from '../validation';
import { type BoardElement, orderedElements, reconcile } from './reconcile';
import { BoardsRepository } from './repository';
import { renderBoardSvg } from './svg';

export { BOARD_LIMITS };

/** What an element must have for the merge to work; everything else is Excalidraw's business. */
export const boardElementSchema = z
  .object({
    id: z.string().min(1).max(64),
    type: z.enum(BOARD_ELEMENT_TYPES),
    version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    versionNonce: z.number().int(),
    isDeleted: z.boolean(),
    index: z.string().max(100).nullable().optional(),
  })
  .passthrough()
  // Excalidraw's own fields (text, link, customData …) are passed through and stored as jsonb.
  .refine((element) => !containsNul(element), NUL_MESSAGE);

const BACKGROUND = /^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/=]+$/;

interface LiveBoard {
  board: BoardRow;
  scene: Map<string, BoardElement>;
  bytes: number;
  pending: BoardElement[];
  flushTimer: NodeJS.Timeout | undefined;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * The shared whiteboard of a call. The scene lives in memory on the node hosting the call and is
 * saved as it changes: accepted element updates are appended to `board_updates` in batches at most
 * every `flushMs`; a node that (re)opens a board replays that log. When the call ends the final
 * scene (JSON) and an SVG image are attached to the ticket and put on its timeline.
 */
export class BoardsService {
  private readonly live = new Map<string, LiveBoard>();
  private readonly opening = new Map<string, Promise<LiveBoard>>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly repo: BoardsRepository;

  constructor(
    db: Database,
    private readonly tickets: TicketsRepository,
    private readonly calls: CallsRepository,
    private readonly attachments: AttachmentsService,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    private readonly flushMs = 1000,
  ) {
    this.repo = new BoardsRepository(db);
    bus.on('call.ended', ({ call }) => this.finalize(call.id));
  }

  /** Only the call's people (and a supervisor who joined) may draw, and only while it runs. */
  private async assertCanDraw(actor: PublicUser, callId: string) {
    const call = await this.calls.findCall(callId);
    const participant = call && (await this.calls.participants([callId])).find((p) => p.userId === actor.id);
    if (!call || !participant) throw notFound('The call');
    if (call.status === 'ended') throw conflict('This call has ended; its board is on the ticket.');
    return call;
  }

  async open(
    actor: PublicUser,
    callId: string,
    reopenBoardId?: string,
  ): Promise<{ boardId: string; elements: BoardElement[]; background: string | null }> {
    const call = await this.assertCanDraw(actor, callId);
    if (reopenBoardId && actor.role === 'customer')
      throw forbidden('Only the support team reopens earlier boards.');
    const live = await this.load(callId, call.ticketId, actor, reopenBoardId);
    return {
      boardId: live.board.id,
      elements: orderedElements(live.scene),
      background: live.board.background,
    };
  }

  private load(
    callId: string,
    ticketId: string,
    actor: PublicUser,
    reopenBoardId?: string,
  ): Promise<LiveBoard> {
    const existing = this.live.get(callId);
    if (existing) return Promise.resolve(existing);
    let pending = this.opening.get(callId);
    if (!pending) {
      pending = this.loadOrCreate(callId, ticketId, actor, reopenBoardId).finally(() =>
        this.opening.delete(callId),
      );
      this.opening.set(callId, pending);
    }
    return pending;
  }

  private async loadOrCreate(callId: string, ticketId: string, actor: PublicUser, reopenBoardId?: string) {
    let board = await this.repo.findByCall(callId);
    if (!board) {
      let seed: BoardElement[] = [];
      let background: string | null = null;
      if (reopenBoardId) {
        const source = await this.repo.find(reopenBoardId);
        if (!source || source.ticketId !== ticketId || !source.finalScene) {
          throw badRequest('That board is not a saved board of this ticket.', [
            { path: 'reopenBoardId', message: 'unknown board' },
          ]);
        }
        seed = (source.finalScene.elements as BoardElement[]) ?? [];
        background = source.background;
      }
      board = await this.repo.createForCall({
        ticketId,
        callId,
        sourceBoardId: reopenBoardId ?? null,
        background,
      });
      if (seed.length) await this.repo.appendUpdate(board.id, seed);
      this.logger.info({ callId, boardId: board.id, by: actor.id }, 'board opened');
    }
    let scene = new Map<string, BoardElement>();
    const log = await this.repo.updatesOf(board.id);
    for (const entry of log) scene = reconcile(scene, entry.elements as BoardElement[]).scene;
    const live: LiveBoard = { board, scene, bytes: sceneBytes(scene), pending: [], flushTimer: undefined };
    this.live.set(callId, live);
    return live;
  }

  private takeToken(userId: string): boolean {
    const now = Date.now();
    const capacity = BOARD_LIMITS.updatesPerSecond * 2;
    const bucket = this.buckets.get(userId) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(
      capacity,
      bucket.tokens + ((now - bucket.at) / 1000) * BOARD_LIMITS.updatesPerSecond,
    );
    bucket.at = now;
    this.buckets.set(userId, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /**
   * Merges a batch of element updates; returns what was accepted (to relay to the others). An
   * update that breaks a limit is refused whole, so the shared scene is never half-applied.
   */
  async update(actor: PublicUser, callId: string, raw: unknown[]): Promise<BoardElement[]> {
    const live = this.live.get(callId);
    if (!live) throw conflict('Open the board first.');
    if (!this.takeToken(actor.id)) {
      throw new AppError('rate_limited', 'The board is receiving updates too fast; slow down.', {
        retryAfterSeconds: 1,
      });
    }
    if (raw.length > BOARD_LIMITS.elementsPerUpdate) {
      throw badRequest(`At most ${BOARD_LIMITS.elementsPerUpdate} elements per update.`);
    }
    const elements: BoardElement[] = [];
    for (const [i, item] of raw.entries()) {
      const parsed = boardElementSchema.safeParse(item);
      if (!parsed.success) {
        throw badRequest(
          `Element ${i} is not a valid board element.`,
          parsed.error.issues.map((issue) => ({
            path: ['elements', i, ...issue.path].join('.'),
            message: issue.message,
          })),
        );
      }
      if (Buffer.byteLength(JSON.stringify(parsed.data)) > BOARD_LIMITS.bytesPerElement) {
        throw badRequest(`Element ${i} is larger than ${BOARD_LIMITS.bytesPerElement / 1024} KiB.`);
      }
      elements.push(parsed.data as BoardElement);
    }
    const { scene, accepted } = reconcile(live.scene, elements);
    if (scene.size > BOARD_LIMITS.elementsPerScene)
      throw badRequest(`A board holds at most ${BOARD_LIMITS.elementsPerScene} elements.`);
    // Only the replaced elements change the size: no need to measure the whole scene each time.
    let bytes = live.bytes;
    for (const e of accepted) {
      const old = live.scene.get(e.id);
      bytes += Buffer.byteLength(JSON.stringify(e)) - (old ? Buffer.byteLength(JSON.stringify(old)) : 0);
    }
    if (bytes > BOARD_LIMITS.bytesPerScene) throw badRequest('The board is full (5 MiB).');
    live.scene = scene;
    live.bytes = bytes;
    if (accepted.length) {
      live.pending.push(...accepted);
      live.flushTimer ??= setTimeout(() => void this.flush(callId), this.flushMs);
    }
    return accepted;
  }

  async setBackground(actor: PublicUser, callId: string, dataUrl: string | null): Promise<void> {
    const live = this.live.get(callId);
    if (!live) throw conflict('Open the board first.');
    if (dataUrl !== null) {
      if (!BACKGROUND.test(dataUrl))
        throw badRequest('The frozen frame must be a PNG, JPEG or WebP data URL.');
      if (dataUrl.length > BOARD_LIMITS.backgroundBytes * 1.37)
        throw badRequest('The frozen frame is larger than 3 MiB.');
    }
    live.board = await this.repo.updateBoard(live.board.id, { background: dataUrl });
    this.logger.debug({ callId, by: actor.id, cleared: dataUrl === null }, 'board background set');
  }

  /** Writes the pending updates as one log entry. */
  async flush(callId: string): Promise<void> {
    const live = this.live.get(callId);
    if (!live) return;
    if (live.flushTimer) clearTimeout(live.flushTimer);
    live.flushTimer = undefined;
    if (live.pending.length === 0) return;
    const batch = live.pending;
    live.pending = [];
    await this.repo.appendUpdate(live.board.id, batch);
  }

  /** At the end of the call: final scene and image onto the ticket, and a timeline entry. */
  async finalize(callId: string): Promise<void> {
    try {
      await this.flush(callId);
      let live = this.live.get(callId);
      if (!live) {
        const board = await this.repo.findByCall(callId);
        if (!board || board.finalizedAt) return;
        const call = await this.calls.findCall(callId);
        if (!call) return;
        live = await this.loadOrCreate(callId, call.ticketId, { id: call.startedById } as PublicUser);
      }
      this.live.delete(callId);
      if (live.board.finalizedAt) return;
      const elements = orderedElements(live.scene);
      if (elements.length === 0 && !live.board.background) return; // nothing was drawn
      const call = await this.calls.findCall(callId);
      if (!call) return;
      const scene = {
        type: 'excalidraw',
        version: 2,
        source: 'livedesk',
        elements,
        appState: { viewBackgroundColor: '#ffffff' },
        background: live.board.background,
      };
      const svg = renderBoardSvg(elements, live.board.background);
      const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
      // The board lands in the conversation as a system message carrying its image and scene.
      const message = await this.tickets.insertMessage(
        systemMessage(call.ticketId, {
          type: 'board.saved',
          callId,
          boardId: live.board.id,
          elements: elements.length,
        }),
      );
      const image = await this.attachments.storeGenerated({
        uploaderId: call.startedById,
        ticketId: call.ticketId,
        messageId: message.id,
        fileName: `whiteboard-${stamp}.svg`,
        contentType: 'image/svg+xml',
        data: Buffer.from(svg),
      });
      const sceneFile = await this.attachments.storeGenerated({
        uploaderId: call.startedById,
        ticketId: call.ticketId,
        messageId: message.id,
        fileName: `whiteboard-${stamp}.excalidraw`,
        contentType: 'application/json',
        data: Buffer.from(JSON.stringify(scene)),
      });
      // The saved board and its timeline entry commit together: the timeline never names a board
      // that is not saved, nor a saved board without its entry.
      const boardId = live.board.id;
      const event = await this.repo.transaction(async (repo) => {
        await repo.updateBoard(boardId, {
          finalScene: scene,
          imageAttachmentId: image.id,
          sceneAttachmentId: sceneFile.id,
          finalizedAt: new Date(),
        });
        return repo.timeline.insertEvent({
          ticketId: call.ticketId,
          type: 'board.saved',
          actorId: null,
          data: {
            boardId,
            callId,
            elements: elements.length,
            imageAttachmentId: image.id,
            imageUrl: image.url,
            sceneAttachmentId: sceneFile.id,
          },
        });
      });
      this.bus.publish('board.saved', {
        entry: toTimelineEntry(event, undefined),
        boardId: live.board.id,
        callId,
      });
      // The system message carrying the board reaches open conversations live, like any message.
      const [view] = await buildMessageViews(this.tickets, [message]);
      this.bus.publish('message.created', { message: view! });
    } catch (err) {
      this.logger.error({ err, callId }, 'could not save the board');
    }
  }

  /** Saved boards of a ticket, for whoever may read the ticket (customers read-only). */
  async listForTicket(actor: PublicUser, ticketId: string) {
    const ticket = await this.tickets.findTicket(ticketId);
    if (!ticket || !canRead(actor, ticket)) throw notFound('The ticket');
    const rows = await this.repo.listForTicket(ticketId);
    return rows
      .filter((b) => b.finalizedAt)
      .map((b) => ({
        id: b.id,
        callId: b.callId,
        createdAt: b.createdAt.toISOString(),
        finalizedAt: b.finalizedAt!.toISOString(),
        imageUrl: b.imageAttachmentId ? `/api/attachments/${b.imageAttachmentId}` : null,
        sceneUrl: b.sceneAttachmentId ? `/api/attachments/${b.sceneAttachmentId}` : null,
        elements: (b.finalScene?.elements as unknown[]) ?? [],
        background: b.background,
        editable: actor.role !== 'customer' && actor.role !== 'qa',
      }));
  }

  /** Stops timers and writes what is pending (shutdown). */
  async stop(): Promise<void> {
    for (const callId of [...this.live.keys()]) await this.flush(callId).catch(() => {});
  }
}

function sceneBytes(scene: ReadonlyMap<string, BoardElement>): number {
  let n = 0;
  for (const e of scene.values()) n += Buffer.byteLength(JSON.stringify(e));
  return n;
}
