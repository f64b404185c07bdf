// A saved whiteboard, read-only (Excalidraw's view mode). Loaded lazily with Excalidraw.
import '@excalidraw/excalidraw/index.css';
import { Excalidraw, MainMenu, restoreElements } from '@excalidraw/excalidraw';
import type { ExcalidrawElement } from '@excalidraw/excalidraw/element/types';
import type { BinaryFileData, BinaryFiles, ExcalidrawImperativeAPI } from '@excalidraw/excalidraw/types';
import { useCallback, useMemo, useRef, useState } from 'react';
import { backgroundFileId, backgroundMimeType } from '../lib/board/background';
import { installExcalidrawAssets } from './assets';

installExcalidrawAssets();

export interface BoardViewerProps {
  elements: unknown[];
  /** The frozen screen frame the board was drawn over (data: URL), if any. */
  background: string | null;
  language: string;
}

export default function BoardViewer({ elements, background, language }: BoardViewerProps) {
  const [api, setApi] = useState<ExcalidrawImperativeAPI | null>(null);
  const fitted = useRef(false);
  // Once loaded (the first onChange), zoom so the whole board fits the viewer.
  const onChange = useCallback(() => {
    if (!api || fitted.current) return;
    fitted.current = true;
    api.scrollToContent(undefined, { fitToContent: true });
  }, [api]);
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
    return {
      elements: restoreElements(elements as ExcalidrawElement[], null),
      files,
      appState: { viewBackgroundColor: '#ffffff' },
      scrollToContent: true,
    };
  }, [elements, background]);

  return (
    <Excalidraw
      initialData={initialData}
      excalidrawAPI={setApi}
      onChange={onChange}
      viewModeEnabled
      langCode={language === 'zh-CN' ? 'zh-CN' : 'en'}
      UIOptions={{ canvasActions: { loadScene: false, saveToActiveFile: false, export: false } }}
    >
      <MainMenu>
        <MainMenu.DefaultItems.SaveAsImage />
        <MainMenu.DefaultItems.Help />
      </MainMenu>
    </Excalidraw>
  );
}
