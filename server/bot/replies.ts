// What a customer's typed message means to the assistant: a request for a person, a "yes" or a
// "no" to "Did this solve it?", or a (new) question. Pure; unit-tested in tests/unit/botReplies.
import type { BotAnswer } from '../../signaling/shared/bot';

/**
 * Asking for a person: anywhere in a short message (people write "转人工!!", "can I talk to a
 * human please"). Longer messages are questions that may mention an agent ("my agent account …").
 */
const HUMAN_PHRASES = [
  '人工',
  '真人',
  '客服人员',
  '找客服',
  '接线员',
  'talk to a person',
  'talk to a human',
  'talk to someone',
  'speak to a person',
  'speak to a human',
  'speak to someone',
  'real person',
  'human agent',
  'live agent',
  'real agent',
  'operator',
  'representative',
];
/** Whole-message words for a person. */
const HUMAN_WORDS = new Set(['human', 'agent', 'person', 'support', 'help desk', '客服', '人']);
const YES = new Set([
  'yes',
  'y',
  'yep',
  'yeah',
  'yes thanks',
  'yes thank you',
  'yes it did',
  'it did',
  'solved',
  'it worked',
  'that worked',
  'that helped',
  'it helped',
  'thanks',
  'thank you',
  'ok thanks',
  'great thanks',
  '是',
  '是的',
  '对',
  '好的',
  '好了',
  '解决了',
  '已解决',
  '可以了',
  '有用',
  '有帮助',
  '谢谢',
  '感谢',
  '行了',
]);
const NO = new Set([
  'no',
  'n',
  'nope',
  'not really',
  'no it didnt',
  'it didnt',
  'didnt help',
  'did not help',
  'no it did not',
  'not solved',
  'still not working',
  'doesnt work',
  'does not work',
  '不',
  '不是',
  '没有',
  '否',
  '没用',
  '没有用',
  '不行',
  '没解决',
  '没有解决',
  '还是不行',
  '不对',
]);
/** Longer than this, a message is a question even if it contains a phrase for a person. */
const SHORT = 40;

/** Lower case, NFKC (full-width → ASCII), apostrophes dropped, punctuation and spaces collapsed. */
export function normalizeReply(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** What a typed message answers, or `question` when it is none of the quick replies. */
export function classifyReply(text: string): BotAnswer | 'question' {
  const normalized = normalizeReply(text);
  if (normalized.length === 0) return 'question';
  if (normalized.length <= SHORT) {
    if (HUMAN_WORDS.has(normalized) || HUMAN_PHRASES.some((p) => normalized.includes(p))) return 'human';
    if (YES.has(normalized)) return 'yes';
    if (NO.has(normalized)) return 'no';
  }
  return 'question';
}
