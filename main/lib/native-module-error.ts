/**
 * The one line that says why a process died during start-up, from what it wrote to stderr. A native module built
 * for another Node's ABI is named as such (Node's own message spans four lines and a stack); otherwise the error
 * line, else the last line.
 */
export function explainStartFailure(stderr: string): string {
  const abi = /NODE_MODULE_VERSION (\d+)[\s\S]*?requires\s+NODE_MODULE_VERSION (\d+)/.exec(stderr);
  if (abi) return `its SQLite module (better-sqlite3) was built for NODE_MODULE_VERSION ${abi[1]}, and that Node needs ${abi[2]}`;
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at ') && l !== '^');
  const reason = lines.find((l) => /Error:|error while loading/.test(l)) ?? lines.at(-1) ?? '';
  return reason.length > 300 ? `${reason.slice(0, 300)}…` : reason;
}
