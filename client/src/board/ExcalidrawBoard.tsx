// The Excalidraw editor bound to a call's BoardSync. Loaded lazily (with Excalidraw and its CSS) the
// first time a whiteboard is shown, so the main bundle does not carry it.
import '@excalidraw/excalidraw/index.css';
import { CaptureUpdateAction, Excalidraw, MainMenu, restoreElements } from '@excalidraw/excalidraw';
import type { ExcalidrawElement } from '@excalidraw/excalidraw/element/types';
import type {
  AppState,
  BinaryFileData,
  Collaborator,
  ExcalidrawImperativeAPI,
  SocketId,
} from '@excalidraw/excalidraw/types';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BoardSnapshot, BoardSurface, BoardSync } from '../lib/board/BoardSync';
import {
  BACKGROUND_ELEMENT_ID,
  backgroundElement,
  backgroundFileId,
  backgroundMimeType,
  type CapturedFrame,
  deletedBackgroundElement,
} from '../lib/board/background';
import type { BoardElement } from '../lib/board/reconcile';
import { installExcalidrawAssets } from './assets';

installExcalidrawAssets();

/** What the toolbar around the editor can ask of it. */
export interface BoardEditorHandle {
  /** Puts a frozen frame (already accepted by the server) behind the drawing, on both sides. */
  placeBackground(frame: CapturedFrame): void;
  /** Takes the frozen frame away. */
  removeBackground(): void;
}

export interface ExcalidrawBoardProps {
  sync: BoardSync;
  snapshot: BoardSnapshot;
  language: string;
  onReady?: (handle: BoardEditorHandle | null) => void;
}

/** A stable colour per person, so both sides see the same colour for the same pointer. */
function colorFor(userId: string): { background: string; stroke: string } {
  const palette = ['#e03131', '#1971c2', '#2f9e44', '#f08c00', '#9c36b5', '#0c8599', '#e8590c'];
  let h = 0;
  for (let i = 0; i < userId.length; i++) h = (h * 31 + userId.charCodeAt(i)) >>> 0;
  const color = palette[h % palette.length]!;
  return { background: color, stroke: color };
}

/** Excalidraw's language codes include zh-CN and en; anything else falls back to English. */
function excalidrawLanguage(language: string): string {
  return language === 'zh-CN' ? 'zh-CN' : 'en';
}

function editingIds(state: AppState): Set<string> {
  const ids = new Set<string>();
  if (state.newElement) ids.add(state.newElement.id);
  if (state.editingTextElement) ids.add(state.editingTextElement.id);
  if (state.resizingElement) ids.add(state.resizingElement.id);
  return ids;
}

/**
 * Restores elements that came from elsewhere one by one (a batch is not a whole scene, so its
 * indices are not checked against each other). Elements Excalidraw drops as invisible are kept only
 * when deleted, so a deletion still arrives.
 */
function normalize(elements: BoardElement[]): BoardElement[] {
  const out: BoardElement[] = [];
  for (const e of elements) {
    let restored: BoardElement | undefined;
    try {
      restored = restoreElements([e as unknown as ExcalidrawElement], null)[0] as unknown as
        | BoardElement
        | undefined;
    } catch {
      restored = undefined;
    }
    if (restored) out.push(restored);
    else if (e.isDeleted) out.push(e);
  }
  return out;
}

declare global {
  interface Window {
    /** Read-only test hook: the whiteboard shown on this page. */
    __livedeskBoard?: {
      elements: () => BoardElement[];
      status: () => BoardSnapshot['status'];
      background: () => string | null;
    };
  }
}

export default function ExcalidrawBoard({ sync, snapshot, language, onReady }: ExcalidrawBoardProps) {
  const [api, setApi] = useState<ExcalidrawImperativeAPI | null>(null);
  // Excalidraw replaces its scene once while it initialises; only after that (its first onChange)
  // may the shared scene go in, or it would be wiped.
  const [initialised, setInitialised] = useState(false);
  const attached = useRef(false);
  const scrolledOnce = useRef(false);

  // The editor is ready: it becomes the sync's surface, and the scene so far is merged into it.
  useEffect(() => {
    if (!api || !initialised) return;
    const surface: BoardSurface = {
      getElements: () => api.getSceneElementsIncludingDeleted() as unknown as readonly BoardElement[],
      replaceElements: (elements) =>
        api.updateScene({
          elements: elements as unknown as ExcalidrawElement[],
          // Others' changes are not this user's to undo.
          captureUpdate: CaptureUpdateAction.NEVER,
        }),
      editingIds: () => editingIds(api.getAppState()),
      normalize,
    };
    const detach = sync.attach(surface);
    attached.current = true;
    window.__livedeskBoard = {
      elements: () => sync.elements(),
      status: () => sync.getSnapshot().status,
      background: () => sync.getSnapshot().background,
    };
    return () => {
      attached.current = false;
      detach();
      delete window.__livedeskBoard;
    };
  }, [api, initialised, sync]);

  // The first scene from the server: show all of it.
  useEffect(() => {
    if (!api || !initialised || scrolledOnce.current || snapshot.status !== 'open') return;
    scrolledOnce.current = true;
    if (api.getSceneElements().length > 0) api.scrollToContent(undefined, { fitToContent: true });
  }, [api, initialised, snapshot.status]);

  // The frozen frame: its picture becomes the file the background element points at.
  const background = snapshot.background;
  useEffect(() => {
    if (!api || !background) return;
    const file: BinaryFileData = {
      id: backgroundFileId(background) as BinaryFileData['id'],
      dataURL: background as BinaryFileData['dataURL'],
      mimeType: backgroundMimeType(background),
      created: Date.now(),
    };
    api.addFiles([file]);
  }, [api, background]);

  // Others' pointers, with their names.
  useEffect(() => {
    if (!api) return;
    const collaborators = new Map<SocketId, Collaborator>();
    for (const peer of snapshot.peers.values()) {
      collaborators.set(peer.user.id as SocketId, {
        id: peer.user.id,
        username: peer.user.name,
        pointer: { x: peer.x, y: peer.y, tool: peer.tool },
        button: 'up',
        color: colorFor(peer.user.id),
      });
    }
    api.updateScene({ collaborators });
  }, [api, snapshot.peers]);

  useEffect(() => {
    if (!api || !onReady) return;
    const handle: BoardEditorHandle = {
      placeBackground: (frame) => {
        const elements = api.getSceneElementsIncludingDeleted() as unknown as BoardElement[];
        const previous = elements.find((e) => e.id === BACKGROUND_ELEMENT_ID);
        const element = backgroundElement({
          dataUrl: frame.dataUrl,
          width: frame.width,
          height: frame.height,
          previous,
        });
        api.addFiles([
          {
            id: element.fileId as BinaryFileData['id'],
            dataURL: frame.dataUrl as BinaryFileData['dataURL'],
            mimeType: backgroundMimeType(frame.dataUrl),
            created: Date.now(),
          },
        ]);
        // First in the array with no index: Excalidraw gives it an index below every other one.
        const rest = elements.filter((e) => e.id !== BACKGROUND_ELEMENT_ID);
        api.updateScene({
          elements: [element, ...rest] as unknown as ExcalidrawElement[],
          captureUpdate: CaptureUpdateAction.IMMEDIATELY,
        });
      },
      removeBackground: () => {
        const elements = api.getSceneElementsIncludingDeleted() as unknown as BoardElement[];
        const previous = elements.find((e) => e.id === BACKGROUND_ELEMENT_ID && !e.isDeleted);
        if (!previous) return;
        api.updateScene({
          elements: elements.map((e) =>
            e === previous ? deletedBackgroundElement(previous) : e,
          ) as unknown as ExcalidrawElement[],
          captureUpdate: CaptureUpdateAction.IMMEDIATELY,
        });
      },
    };
    onReady(handle);
    return () => onReady(null);
  }, [api, onReady]);

  const shownFrame = useRef<unknown>(null);
  const onChange = useCallback(
    (elements: readonly ExcalidrawElement[]) => {
      if (!attached.current) {
        setInitialised(true);
        return;
      }
      sync.localChange(elements as unknown as readonly BoardElement[]);
      // A newly frozen screen (it is always first: at the back): bring it into view, on both sides.
      const first = elements[0] as unknown as BoardElement | undefined;
      if (first?.id === BACKGROUND_ELEMENT_ID && !first.isDeleted && first.fileId !== shownFrame.current) {
        shownFrame.current = first.fileId;
        api?.scrollToContent(first as unknown as ExcalidrawElement, {
          fitToViewport: true,
          viewportZoomFactor: 0.9,
          animate: true,
        });
      }
    },
    [api, sync],
  );
  const onPointerUpdate = useCallback(
    ({ pointer }: { pointer: { x: number; y: number; tool: 'pointer' | 'laser' } }) =>
      sync.pointer(pointer.x, pointer.y, pointer.tool),
    [sync],
  );

  const uiOptions = useMemo(
    () => ({
      // Pictures would need a file channel the call board does not have; the frozen screen is the one.
      tools: { image: false },
      canvasActions: { loadScene: false, saveToActiveFile: false, export: false as const },
    }),
    [],
  );

  return (
    <Excalidraw
      excalidrawAPI={setApi}
      isCollaborating
      langCode={excalidrawLanguage(language)}
      UIOptions={uiOptions}
      onChange={onChange}
      onPointerUpdate={onPointerUpdate}
    >
      <MainMenu>
        <MainMenu.DefaultItems.SaveAsImage />
        <MainMenu.DefaultItems.ClearCanvas />
        <MainMenu.DefaultItems.Help />
        <MainMenu.Separator />
        <MainMenu.DefaultItems.ChangeCanvasBackground />
      </MainMenu>
    </Excalidraw>
  );
}
