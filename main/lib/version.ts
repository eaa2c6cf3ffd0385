declare const __VC2_VERSION__: string | undefined;

/** Set by the bundler from package.json; "dev" when running from sources. */
export const APP_VERSION: string = typeof __VC2_VERSION__ === 'string' ? __VC2_VERSION__ : 'dev';
