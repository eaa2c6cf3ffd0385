/** The last part of a slash-separated path (ledger targets are relative, with forward slashes). */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
