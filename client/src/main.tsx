import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import '@mantine/dates/styles.css';
import './styles.css';
// Initialises i18next (and sets <html lang>) before anything renders.
import './i18n';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { followAccountLanguage } from './lib/accountLanguage';

// The UI takes the language the signed-in person chose, on whichever device they chose it.
followAccountLanguage();

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
