/** Where the build puts Excalidraw's fonts (vite.config.ts copies them from the package). */
export const EXCALIDRAW_ASSET_PATH = '/excalidraw-assets/';

declare global {
  interface Window {
    EXCALIDRAW_ASSET_PATH?: string | string[];
  }
}

/**
 * Excalidraw loads its hand-drawn fonts at runtime, from a public CDN unless told otherwise. A
 * self-hosted desk must not depend on that (nor tell a CDN who is drawing), so they come from here.
 */
export function installExcalidrawAssets(): void {
  if (typeof window !== 'undefined' && window.EXCALIDRAW_ASSET_PATH === undefined)
    window.EXCALIDRAW_ASSET_PATH = EXCALIDRAW_ASSET_PATH;
}
