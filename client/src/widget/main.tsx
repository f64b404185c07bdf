import '@mantine/core/styles.css';
import '../styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import i18n, { matchLanguage } from '../i18n';
import { WidgetApp } from './WidgetApp';

// The loader passes the site's data-locale (or the browser's language); the widget follows it
// without storing it as this browser's choice for Livedesk itself.
const requested = new URLSearchParams(window.location.search).get('locale');
const language = requested ? matchLanguage(requested) : undefined;
if (language) void i18n.changeLanguage(language);

const container = document.getElementById('root');
if (!container) throw new Error('widget.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <WidgetApp />
  </StrictMode>,
);
