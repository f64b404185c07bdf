import { useEffect } from 'react';

const COUNT_PREFIX = /^\(\d+\) /;

/**
 * Puts "(3) " before whatever title the page set ("(3) #1024 Cannot log in · Livedesk"), and keeps
 * it there when a page changes its title later (pages set theirs with useDocumentTitle).
 */
export function useTitleCount(count: number): void {
  useEffect(() => {
    const apply = () => {
      const base = document.title.replace(COUNT_PREFIX, '');
      const wanted = count > 0 ? `(${count}) ${base}` : base;
      if (document.title !== wanted) document.title = wanted;
    };
    apply();
    const element = document.querySelector('title');
    if (!element) return;
    const observer = new MutationObserver(apply);
    observer.observe(element, { childList: true, characterData: true, subtree: true });
    return () => {
      observer.disconnect();
      document.title = document.title.replace(COUNT_PREFIX, '');
    };
  }, [count]);
}
