// `npm run dist`'s preparation step: stages the Node that built node_modules into build/engine-node/, which
// electron-builder ships as resources/engine-node/ (electron-builder.yml). The installed app runs its engine there
// (main/engine/engine-runtime.ts), so better-sqlite3 is never rebuilt for Electron's ABI and node_modules stays as
// npm ci left it: npm test, npm run serve and vc2m work before and after this step.
// Usage: node scripts/stage-engine-node.mjs [--out <dir>]
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, fsyncSync, mkdirSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--out');
const out = resolve(at > 0 ? process.argv[at + 1] : join(root, 'build', 'engine-node'));
const name = process.platform === 'win32' ? 'node.exe' : 'node';

mkdirSync(out, { recursive: true });
const target = join(out, name);
const temporary = `${target}.partial`;
copyFileSync(process.execPath, temporary);
const fd = openSync(temporary, 'r');
fsyncSync(fd);
closeSync(fd);
chmodSync(temporary, 0o755);
renameSync(temporary, target);

// The staged copy must load the very build the installer will carry; a failure here is a failed dist, not a
// broken installer found by a user.
const probe = "const D=require('better-sqlite3');new D(':memory:').prepare('select 1').get();console.log(process.version+' '+process.versions.modules)";
const seen = execFileSync(target, ['-e', probe], { cwd: root, encoding: 'utf8' }).trim();
const [version, modules] = seen.split(' ');
writeFileSync(join(out, 'engine-node.json'), `${JSON.stringify({ version, modules, platform: process.platform, arch: process.arch }, null, 2)}\n`);
console.log(`staged Node ${version} (NODE_MODULE_VERSION ${modules}, ${process.platform}-${process.arch}) for the engine in ${out}`);
