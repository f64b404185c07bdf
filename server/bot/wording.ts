// The assistant's words as plain text in the conversation's language: the `body` of its messages,
// for readers that only take text (QA, mail, exports, integrations). The web client words the
// structured message itself (client/src/bot/), in its reader's language.
import type { BotMessage } from '../../signaling/shared/bot';

const TEXT = {
  en: {
    intro: 'These articles may answer your question:',
    ask: 'Did this solve it?',
    rephrase:
      'Sorry that did not help. Could you describe the problem in other words? Or choose “Talk to a person”.',
    resolved: 'Glad that helped! If anything else comes up, just write here.',
    handoff: 'A person from our support team will take it from here. You don’t need to repeat anything.',
    wait: (m: number) => `Expected wait: about ${m} min.`,
  },
  'zh-CN': {
    intro: '以下文章也许能解答您的问题：',
    ask: '问题解决了吗？',
    rephrase: '抱歉没能帮上忙。能换一种说法描述一下问题吗？或者选择“转人工”。',
    resolved: '很高兴能帮到您！如有其他问题，直接在这里留言即可。',
    handoff: '我们的客服人员会接手处理，您无需重复描述问题。',
    wait: (m: number) => `预计等待约 ${m} 分钟。`,
  },
} as const;

/** The message as text, in its own language. */
export function botMessageText(message: BotMessage): string {
  const t = TEXT[message.locale];
  switch (message.type) {
    case 'answer':
      return [
        t.intro,
        ...message.articles.map((a, i) => `${i + 1}. ${a.title} — ${a.snippet} (${a.url})`),
        t.ask,
      ].join('\n');
    case 'rephrase':
      return t.rephrase;
    case 'resolved':
      return t.resolved;
    case 'handoff':
      return message.expectedWaitMinutes !== null
        ? `${t.handoff} ${t.wait(message.expectedWaitMinutes)}`
        : t.handoff;
  }
}
