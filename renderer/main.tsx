import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { connectDashboardStore, useDashboardStore } from './pages/dashboard/store';
import { connectJobsStore, useJobsStore } from './pages/jobs/store';
import { connectLibraryStore, useLibraryStore } from './pages/library/store';
import { connectRelinkStore, useRelinkStore } from './pages/missing/relink-store';
import { connectMissingStore, useMissingStore } from './pages/missing/store';
import { connectSamplesStore } from './pages/samples/store';
import { connectSettingsStore, useSettingsStore } from './pages/settings/store';
import { connectSourcesStore, useSourcesStore } from './pages/sources/store';
import { onConnection } from './transport/transport';
import './styles.css';
import './pages/samples/samples.css';

// Stores subscribe to engine events before their first snapshot, and snapshot again after a reconnect.
connectLibraryStore();
connectJobsStore();
connectSettingsStore();
connectDashboardStore();
connectMissingStore();
connectRelinkStore();
connectSourcesStore();
connectSamplesStore();
let seenOpen = false;
onConnection((state) => {
  if (state !== 'open') return;
  if (seenOpen) {
    void useLibraryStore.getState().load();
    void useJobsStore.getState().load();
    void useSettingsStore.getState().load();
    void useDashboardStore.getState().load();
    void useMissingStore.getState().load();
    void useRelinkStore.getState().load();
    void useSourcesStore.getState().load();
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
