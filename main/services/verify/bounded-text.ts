/** Characters of a path or message kept in a verdict: a ref can be megabytes long, and every report repeats the verdict. */
const KEEP = 300;

/** The text itself when short, else its first characters, an ellipsis and the total length. */
export function boundedText(text: string, keep = KEEP): string {
  return text.length <= keep ? text : `${text.slice(0, keep)}… (${text.length.toLocaleString('en-US')} characters)`;
}

/**
 * Why a file-system call failed, without the path Node puts in the message (it may be the huge ref itself):
 * "ENAMETOOLONG: name too long, lstat '…'" becomes "ENAMETOOLONG: name too long".
 */
export function errorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const cut = code && message.startsWith(`${code}:`) ? message.indexOf(', ') : -1;
  return boundedText(cut > 0 ? message.slice(0, cut) : message, 120);
}
