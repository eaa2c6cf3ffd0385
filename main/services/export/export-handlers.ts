import type { HandlerSlice } from '../../../shared/api/handlers';
import type { ExportService } from './export-service';

export function exportHandlers(exporter: ExportService): HandlerSlice<'export'> {
  return {
    'export.start': ({ path, level, precut }) => exporter.start(path, level, precut),
  };
}
