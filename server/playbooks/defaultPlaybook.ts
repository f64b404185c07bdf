import type { playbooks } from '../db/workspaceSchema';

/**
 * The demo installation's playbook for course tickets — the brief's "cannot watch the course
 * video" procedure. Seeded once with the demo accounts; admins change or delete it like any other.
 */
export const DEFAULT_PLAYBOOK: typeof playbooks.$inferInsert = {
  category: 'course',
  title: { en: 'Cannot watch the course video', 'zh-CN': '无法观看课程视频' },
  followUpHours: 24,
  steps: [
    {
      id: 'acknowledge',
      text: {
        en: 'Acknowledge the problem and tell the customer you are on it',
        'zh-CN': '确认问题，告诉客户正在处理',
      },
      prefill: [],
    },
    {
      id: 'environment',
      text: {
        en: 'Check device, browser and network against the snapshot',
        'zh-CN': '根据问题快照检查设备、浏览器和网络',
      },
      prefill: ['device', 'browser', 'network'],
    },
    {
      id: 'self-check',
      text: {
        en: 'Guide a self-check: reload, another browser, turn off extensions and VPN',
        'zh-CN': '引导客户自查：刷新页面、换浏览器、关闭插件和 VPN',
      },
      prefill: [],
    },
    {
      id: 'escalate',
      text: {
        en: 'Escalate to L2 if the video still fails for this customer only, with the snapshot',
        'zh-CN': '如果仍然只有该客户无法播放，附上快照升级到 L2',
      },
      prefill: [],
    },
    {
      id: 'follow-up',
      text: {
        en: 'Follow up within 24 h after solving: does the video play now?',
        'zh-CN': '解决后 24 小时内回访：视频现在能正常播放吗？',
      },
      prefill: [],
    },
  ],
};
