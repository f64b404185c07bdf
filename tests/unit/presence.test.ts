import { describe, expect, it } from 'vitest';
import { derivePresence } from '../../server/presence/presence';

describe('derivePresence', () => {
  const active = { idle: false };
  const idle = { idle: true };

  it('is offline with no connection left, whatever was chosen or whatever call', () => {
    expect(derivePresence({ manual: 'available', connections: [], inCall: false })).toBe('offline');
    expect(derivePresence({ manual: 'busy', connections: [], inCall: true })).toBe('offline');
  });

  it('follows activity: online while any tab is used, away when all are idle', () => {
    expect(derivePresence({ manual: 'available', connections: [idle, active], inCall: false })).toBe(
      'online',
    );
    expect(derivePresence({ manual: 'available', connections: [idle, idle], inCall: false })).toBe('away');
  });

  it('keeps a manual busy or away over activity', () => {
    expect(derivePresence({ manual: 'away', connections: [active], inCall: false })).toBe('away');
    expect(derivePresence({ manual: 'busy', connections: [active], inCall: false })).toBe('busy');
  });

  it('shows a call over everything but no connection', () => {
    expect(derivePresence({ manual: 'away', connections: [idle], inCall: true })).toBe('in_call');
  });
});
