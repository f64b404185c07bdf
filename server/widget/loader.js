// The Livedesk widget loader: <script src="https://desk.example/widget.js" data-locale="zh-CN" async>.
// Small and framework-free on purpose: it runs on someone else's page. It asks Livedesk whether this
// site may show the widget, then adds a launcher button and, on first open, an <iframe> of the
// Livedesk /widget page. Its own elements live in a shadow root, so the page's CSS cannot
// restyle them; everything else runs inside the iframe, on Livedesk's origin.
(() => {
  const script = document.currentScript;
  if (!script || window.__livedeskWidget) return;
  window.__livedeskWidget = true;

  const base = new URL(script.src).origin;
  const requested = script.getAttribute('data-locale') || navigator.language || 'en';
  const locale = /^zh/i.test(requested) ? 'zh-CN' : 'en';
  const text =
    locale === 'zh-CN'
      ? { open: '打开帮助与聊天', close: '关闭帮助与聊天', title: 'Livedesk 帮助与聊天' }
      : { open: 'Open help and chat', close: 'Close help and chat', title: 'Livedesk help and chat' };

  fetch(`${base}/api/widget/config`, { credentials: 'omit' })
    .then((res) => {
      if (!res.ok) throw new Error(String(res.status));
      return res.json();
    })
    .then(mount, () => {
      console.error(
        `Livedesk widget: this site (${location.origin}) is not allowed to show the Livedesk widget of ${base}. ` +
          'An administrator can add the origin in Livedesk under Admin → Widget.',
      );
    });

  function mount() {
    const host = document.createElement('div');
    host.id = 'livedesk-widget';
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>
      :host { all: initial; }
      button.launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483646; width: 56px; height: 56px;
        border-radius: 50%; border: 0; background: #1864ab; color: #fff; cursor: pointer;
        box-shadow: 0 4px 14px rgba(0,0,0,.25); display: flex; align-items: center; justify-content: center; padding: 0; }
      button.launcher:focus-visible { outline: 3px solid #ffd43b; outline-offset: 3px; }
      button.launcher svg { width: 28px; height: 28px; }
      .panel { position: fixed; right: 20px; bottom: 88px; z-index: 2147483647; width: 380px;
        height: min(640px, calc(100vh - 110px)); border-radius: 12px; overflow: hidden; background: #fff;
        box-shadow: 0 8px 32px rgba(0,0,0,.28); display: none; }
      .panel.open { display: block; }
      iframe { border: 0; width: 100%; height: 100%; display: block; }
      @media (max-width: 480px) {
        .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; }
        .panel.open + button.launcher { display: none; }
      }
    </style>
    <div class="panel" part="panel"></div>
    <button class="launcher" type="button" aria-expanded="false">
      <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"
        stroke-linejoin="round" aria-hidden="true"><path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg>
    </button>`;
    const panel = root.querySelector('.panel');
    const launcher = root.querySelector('button.launcher');
    launcher.setAttribute('aria-label', text.open);
    let frame;

    function open() {
      if (!frame) {
        frame = document.createElement('iframe');
        frame.title = text.title;
        frame.allow = 'camera; microphone; display-capture; clipboard-write';
        frame.src = `${base}/widget?locale=${encodeURIComponent(locale)}&origin=${encodeURIComponent(location.origin)}`;
        panel.appendChild(frame);
      }
      panel.classList.add('open');
      launcher.setAttribute('aria-expanded', 'true');
      launcher.setAttribute('aria-label', text.close);
      frame.focus();
      frame.contentWindow?.postMessage({ type: 'livedesk:opened' }, base);
    }

    function close() {
      if (!panel.classList.contains('open')) return;
      panel.classList.remove('open');
      launcher.setAttribute('aria-expanded', 'false');
      launcher.setAttribute('aria-label', text.open);
      launcher.focus();
    }

    launcher.addEventListener('click', () => (panel.classList.contains('open') ? close() : open()));
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') close();
    });
    // The page inside asks to close (its close button, Esc pressed inside it) or to open a call
    // full size in a Livedesk tab when the camera is not available in the frame.
    window.addEventListener('message', (event) => {
      if (event.origin !== base || !frame || event.source !== frame.contentWindow) return;
      const data = event.data;
      if (data && data.type === 'livedesk:close') close();
      if (data && data.type === 'livedesk:ready' && panel.classList.contains('open')) {
        frame.contentWindow.postMessage({ type: 'livedesk:opened' }, base);
      }
    });
    document.body.appendChild(host);
  }
})();
