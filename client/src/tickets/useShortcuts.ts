import { useEffect, useRef } from 'react';

/** Whether a key press belongs to a text field (or a select, or rich text) rather than to the page. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'range', 'color'].includes(type);
}

/**
 * Single-key shortcuts (`r`, `n`, `e`, `?`) for the page. Ignored while typing in a field, with a
 * modifier held (so Ctrl+R still reloads), or while `enabled` is false (a dialog is open).
 */
export function useShortcuts(handlers: Record<string, () => void>, enabled: boolean): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      if (isTypingTarget(event.target)) return;
      // A Mantine modal or menu may be open even when the page thinks not: leave keys to it.
      if (document.querySelector('[role="dialog"][aria-modal="true"]')) return;
      const handler = latest.current[event.key] ?? latest.current[event.key.toLowerCase()];
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}
