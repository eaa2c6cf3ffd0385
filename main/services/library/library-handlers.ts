import type { HandlerSlice } from '../../../shared/api/handlers';
import type { JobRunner } from '../jobs/job-runner';
import type { SettingsService } from '../settings/settings-service';
import type { LibraryService } from './library-service';

export function libraryHandlers(library: LibraryService, settings: SettingsService, jobs: JobRunner): HandlerSlice<'library'> {
  return {
    'library.current': () => library.current(),
    'library.create': async ({ path }) => {
      const info = await library.create(path);
      await settings.rememberLibrary(info.path, info.name);
      return info;
    },
    'library.open': async ({ path }) => {
      const info = await library.open(path);
      await settings.rememberLibrary(info.path, info.name);
      return info;
    },
    'library.close': async () => {
      await library.close();
      await settings.clearLastLibrary();
      return null;
    },
    'library.recent': () => settings.recent(),
    'library.forget': ({ path }) => settings.forgetLibrary(path),
    'library.usage': () => library.usage(),
    'library.measure': () => jobs.enqueue('library.measure'),
  };
}
