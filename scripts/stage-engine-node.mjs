// `npm run dist`'s preparation step: stages the Node that built node_modules into build/engine-node/, which
// electron-builder ships as resources/engine-node/ (electron-builder.yml). The installed app runs its engine there
// (main/engine/engine-runtime.ts), so better-sqlite3 is never rebuilt for Electron's ABI and node_modules stays as
// npm ci left it: npm test, npm run serve and vc2m work before and after this step.
// Usage: node scripts/stage-engine-node.mjs [--out <dir>]
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--out');
const out = resolve(at > 0 ? process.argv[at + 1] : join(root, 'build', 'engine-node'));
const name = process.platform === 'win32' ? 'node.exe' : 'node';

// An official Node release is self-contained; a distribution's or Homebrew's loads shared libraries (libnode,
// libuv, OpenSSL) from the build machine and would break on users' machines. The npm registry publishes the
// official binaries as node-<platform>-<arch> (what scripts/bootstrap.sh installs into .tools/): this Node is used
// when it is one of them, otherwise the same version is fetched from the registry.
const packageName = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
function officialBinary() {
  const here = dirname(process.execPath);
  for (const candidate of [join(here, '..', 'package.json'), join(here, '..', 'node_modules', packageName, 'package.json'), join(here, 'package.json')]) {
    if (!existsSync(candidate)) continue;
    const meta = JSON.parse(readFileSync(candidate, 'utf8'));
    if (meta.name === packageName && `v${meta.version}` === process.version) return process.execPath;
  }
  return null;
}
function fetchOfficial() {
  const work = mkdtempSync(join(tmpdir(), 'vc2-engine-node-'));
  const spec = `${packageName}@${process.version.slice(1)}`;
  console.log(`${process.execPath} is not an official Node build: fetching ${spec} from the npm registry`);
  const tarball = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', work], { encoding: 'utf8', shell: process.platform === 'win32' })
    .trim()
    .split('\n')
    .at(-1);
  execFileSync('tar', ['-xzf', join(work, tarball), '-C', work]);
  return join(work, 'package', 'bin', name);
}

mkdirSync(out, { recursive: true });
const source = officialBinary() ?? fetchOfficial();
const target = join(out, name);
const temporary = `${target}.partial`;
copyFileSync(source, temporary);
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
