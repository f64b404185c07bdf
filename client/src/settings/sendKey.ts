// The composer's send-key rule, framework-free so it is unit-tested on its own.
import type { SendKey } from '../../../signaling/shared/macros';

/**
 * Whether this key press sends the message: Enter alone (or Ctrl/⌘+Enter) with `enter`, only
 * Ctrl/⌘+Enter with `ctrl_enter`. Never while an input method is composing (Chinese pinyin:
 * Enter there picks the candidate) — `isComposing`, or keyCode 229 from browsers that report it so.
 */
export function isSendKey(
  event: {
    key: string;
    shiftKey: boolean;
    ctrlKey: boolean;
    metaKey: boolean;
    altKey: boolean;
    keyCode: number;
    nativeEvent: { isComposing?: boolean };
  },
  sendKey: SendKey,
): boolean {
  if (event.key !== 'Enter' || event.nativeEvent.isComposing || event.keyCode === 229) return false;
  if (event.ctrlKey || event.metaKey) return true;
  return sendKey === 'enter' && !event.shiftKey && !event.altKey;
}
