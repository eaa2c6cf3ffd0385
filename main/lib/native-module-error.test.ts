import { describe, expect, it } from 'vitest';
import { explainStartFailure } from './native-module-error';

describe('explainStartFailure', () => {
  it("names an ABI mismatch from Node's four-line message and its stack", () => {
    const stderr = `node:internal/modules/cjs/loader:1651
  return process.dlopen(module, path.toNamespacedPath(filename));
                 ^

Error: The module '/home/r/vc2/node_modules/better-sqlite3/build/Release/better_sqlite3.node'
was compiled against a different Node.js version using
NODE_MODULE_VERSION 127. This version of Node.js requires
NODE_MODULE_VERSION 115. Please try re-compiling or re-installing
the module (for instance, using \`npm rebuild\` or \`npm install\`).
    at Module._extensions..node (node:internal/modules/cjs/loader:1651:18)
    at Module.load (node:internal/modules/cjs/loader:1275:32) {
  code: 'ERR_DLOPEN_FAILED'
}

Node.js v20.20.2`;
    expect(explainStartFailure(stderr)).toBe('its SQLite module (better-sqlite3) was built for NODE_MODULE_VERSION 127, and that Node needs 115');
  });

  it('otherwise gives the error line, else the last line, bounded', () => {
    expect(explainStartFailure('[123:ERROR] something\nelectron: error while loading shared libraries: libgbm.so.1: cannot open shared object file\n')).toBe(
      'electron: error while loading shared libraries: libgbm.so.1: cannot open shared object file',
    );
    expect(explainStartFailure('Gtk-WARNING: cannot open display: :99\n')).toBe('Gtk-WARNING: cannot open display: :99');
    expect(explainStartFailure(`Error: ${'x'.repeat(1000)}`)).toHaveLength(301);
    expect(explainStartFailure('')).toBe('');
  });
});
