import { describe, expect, it } from 'vitest';
import { isSendKey } from '../../client/src/settings/sendKey';
import { fillPlaceholders, unknownPlaceholders } from '../../signaling/shared/macros';

const key = (
  over: Partial<Omit<Parameters<typeof isSendKey>[0], 'nativeEvent'>> & { isComposing?: boolean } = {},
) => {
  const { isComposing = false, ...rest } = over;
  return {
    key: 'Enter',
    shiftKey: false,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    keyCode: 13,
    nativeEvent: { isComposing },
    ...rest,
  };
};

describe('macro placeholders', () => {
  it('fills the known placeholders, spaces inside the braces allowed, and leaves the rest', () => {
    expect(
      fillPlaceholders('Hi {{customer.name}}, #{{ ticket.number }} — {{agent.name}}', {
        'customer.name': '王小明',
        'ticket.number': '1042',
        'agent.name': 'Lee',
      }),
    ).toBe('Hi 王小明, #1042 — Lee');
    expect(fillPlaceholders('{{ticket.subject}}', {})).toBe('{{ticket.subject}}');
  });

  it('names every unknown placeholder once, and accepts the known ones', () => {
    expect(unknownPlaceholders('{{customer.name}} {{ticket.number}} {{agent.name}}')).toEqual([]);
    expect(unknownPlaceholders('{{customer.nmae}} {{ foo }} {{customer.nmae}} {{}}')).toEqual([
      'customer.nmae',
      'foo',
      '',
    ]);
    expect(unknownPlaceholders('a single { brace } is text')).toEqual([]);
  });
});

describe('the composer send key', () => {
  it('Enter sends and Shift+Enter does not, with the "enter" choice', () => {
    expect(isSendKey(key(), 'enter')).toBe(true);
    expect(isSendKey(key({ shiftKey: true }), 'enter')).toBe(false);
    expect(isSendKey(key({ ctrlKey: true }), 'enter')).toBe(true);
    expect(isSendKey(key({ key: 'a' }), 'enter')).toBe(false);
  });

  it('only Ctrl/⌘+Enter sends with the "ctrl_enter" choice', () => {
    expect(isSendKey(key(), 'ctrl_enter')).toBe(false);
    expect(isSendKey(key({ ctrlKey: true }), 'ctrl_enter')).toBe(true);
    expect(isSendKey(key({ metaKey: true }), 'ctrl_enter')).toBe(true);
  });

  it('never sends while an input method is composing (Enter picks the Chinese candidate)', () => {
    expect(isSendKey(key({ isComposing: true }), 'enter')).toBe(false);
    expect(isSendKey(key({ keyCode: 229 }), 'enter')).toBe(false);
    expect(isSendKey(key({ isComposing: true, ctrlKey: true }), 'ctrl_enter')).toBe(false);
  });
});
