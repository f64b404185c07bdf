// A whiteboard replayed read-only: the scene follows `elements` as the QA player moves. Loaded
// lazily with Excalidraw (the player's page does not pay for it until a board exists).
import '@excalidraw/excalidraw/index.css';
import { Excalidraw, restoreElements } from '@excalidraw/excalidraw';
import type { ExcalidrawElement } from '@excalidraw/excalidraw/element/types';
import type { BinaryFileData, BinaryFiles, ExcalidrawImperativeAPI } from '@excalidraw/excalidraw/types';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { backgroundFileId, backgroundMimeType } from '../lib/board/background';
import { installExcalidrawAssets } from './assets';

installExcalidrawAssets();

export interface ReplayCanvasProps {
  /** The board's elements at the player's position. */
  elements: unknown[];
  /** Every element the replay will show, to fit the view once to all of the drawing. */
  extent: unknown[];
  background: string | null;
  language: string;
}

export default function ReplayCanvas({ elements, extent, background, language }: ReplayCanvasProps) {
  const [api, setApi] = useState<ExcalidrawImperativeAPI | null>(null);
  const fitted = useRef(false);
  const initialData = useMemo(() => {
    const files: BinaryFiles = {};
    if (background) {
      const id = backgroundFileId(background) as BinaryFileData['id'];
      files[id] = {
        id,
        dataURL: background as BinaryFileData['dataURL'],
        mimeType: backgroundMimeType(background),
        created: Date.now(),
      };
    }
    return { elements: [], files, appState: { viewBackgroundColor: '#ffffff' } };
  }, [background]);
  const whole = useMemo(() => restoreElements(extent as ExcalidrawElement[], null), [extent]);
  useEffect(() => {
    api?.updateScene({ elements: restoreElements(elements as ExcalidrawElement[], null) });
  }, [api, elements]);
  // Fit once to the whole drawing, on the first change once the canvas has its size (so seeking
  // never moves the view, and a stroke drawn later is inside it too).
  const onChange = useCallback(() => {
    if (!api || fitted.current || whole.length === 0) return;
    fitted.current = true;
    api.scrollToContent(whole, { fitToContent: true, animate: false });
  }, [api, whole]);

  return (
    <Excalidraw
      initialData={initialData}
      excalidrawAPI={setApi}
      onChange={onChange}
      viewModeEnabled
      zenModeEnabled
      langCode={language === 'zh-CN' ? 'zh-CN' : 'en'}
      UIOptions={{
        canvasActions: {
          loadScene: false,
          saveToActiveFile: false,
          export: false,
          saveAsImage: false,
          changeViewBackgroundColor: false,
          clearCanvas: false,
          toggleTheme: false,
        },
      }}
    />
  );
}
