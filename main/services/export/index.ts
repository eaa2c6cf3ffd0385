export { exportHandlers } from './export-handlers';
export { type ExportParams, ExportService } from './export-service';
