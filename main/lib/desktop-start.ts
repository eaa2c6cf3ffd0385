/**
 * What the Electron shell (electron/app.ts) and `npm start` (start.ts) agree on: the shell prints WINDOW_READY_LINE
 * once its window can be shown, or one line starting with STARTUP_FAILED_PREFIX and exits with STARTUP_FAILED_CODE.
 * An Electron that exits before the ready line, for that or any other reason (missing system libraries, no display
 * server it can use), makes `npm start` serve the web host instead, with the reason in one line.
 */
export const WINDOW_READY_LINE = '[vc2] window ready';
export const STARTUP_FAILED_PREFIX = 'VC2 Media Manager could not start: ';
export const STARTUP_FAILED_CODE = 3;

/** A start-up failure whose message is the whole explanation (no stack needed). */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** The path a plain Node can read for a file packed in app.asar (electron-builder's asarUnpack puts it there). */
export function unpackedPath(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}
