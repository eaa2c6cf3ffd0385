import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { connectJobsStore, useJobsStore } from './pages/jobs/store';
import { connectLibraryStore, useLibraryStore } from './pages/library/store';
import { connectSettingsStore, useSettingsStore } from './pages/settings/store';
import { onConnection } from './transport/transport';
import './styles.css';

// Stores subscribe to engine events before their first snapshot, and snapshot again after a reconnect.
connectLibraryStore();
connectJobsStore();
connectSettingsStore();
let seenOpen = false;
onConnection((state) => {
  if (state !== 'open') return;
  if (seenOpen) {
    void useLibraryStore.getState().load();
    void useJobsStore.getState().load();
    void useSettingsStore.getState().load();
  }
  seenOpen = true;
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
