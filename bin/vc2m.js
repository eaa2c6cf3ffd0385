#!/usr/bin/env node
// Runs the bundled CLI on Node >= 22.12, re-running itself with the project's own Node 22 when the system's is older.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
const tooOld = major < 22 || (major === 22 && minor < 12);
const ownNode = join(root, '.tools', 'node_modules', 'node', 'bin', 'node');
if (tooOld && existsSync(ownNode) && process.execPath !== ownNode) {
  const result = spawnSync(ownNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 2);
}
const entry = join(root, 'dist', 'main', 'vc2m.js');
if (!existsSync(entry)) {
  console.error('vc2m: the app is not built yet; run `npm start` or `npm test` once (they install and build everything)');
  process.exit(2);
}
await import(entry);
