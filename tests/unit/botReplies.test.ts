import { describe, expect, it } from 'vitest';
import { classifyReply, normalizeReply } from '../../server/bot/replies';

// What a customer's typed message means to the assistant, in English and Chinese.
describe('classifyReply', () => {
  it('recognises a request for a person, anywhere in a short message', () => {
    for (const text of [
      '人工',
      '转人工！',
      '我要人工客服',
      'human',
      'Agent',
      'talk to a person please',
      'Can I speak to a human?',
    ])
      expect(classifyReply(text), text).toBe('human');
  });
  it('recognises yes and no in both languages, whatever the punctuation or width', () => {
    for (const text of ['yes', 'Yes!', 'yes, thanks', '是的', '解决了。', '谢谢！', 'ｙｅｓ'])
      expect(classifyReply(text), text).toBe('yes');
    for (const text of ['no', 'No.', 'nope', "didn't help", '没有', '不行', '没解决！'])
      expect(classifyReply(text), text).toBe('no');
  });
  it('treats anything else, and long messages that mention an agent, as a question', () => {
    expect(classifyReply('How do I get a refund?')).toBe('question');
    expect(classifyReply('')).toBe('question');
    expect(classifyReply('no idea why my video keeps buffering in the evening')).toBe('question');
    expect(
      classifyReply('My human resources department needs an invoice for the course we bought last month'),
    ).toBe('question');
    expect(classifyReply('yes I tried that but the refund button is greyed out')).toBe('question');
  });
  it('normalises case, width and punctuation', () => {
    expect(normalizeReply("  It DIDN'T   help!! ")).toBe('it didnt help');
  });
});
