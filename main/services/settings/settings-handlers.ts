import type { HandlerSlice } from '../../../shared/api/handlers';
import type { SettingsService } from './settings-service';

export function settingsHandlers(settings: SettingsService): HandlerSlice<'settings'> {
  return {
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch),
    'settings.setHfToken': ({ token }) => settings.setHfToken(token),
    'settings.clearHfToken': () => settings.clearHfToken(),
    'settings.setMirror': ({ sourceId, baseUrl }) => settings.setMirror(sourceId, baseUrl),
  };
}
