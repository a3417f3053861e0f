/**
 * A file-system error as one short clause: its code and what it means (`EROFS: read-only file system`),
 * without the system call and path Node appends (`, mkdir '/x/y'`, or `, write`): the sentence around it names the
 * directory once. Anything without a code is its message's first line.
 */
export function describeFileSystemError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && message.startsWith(`${code}: `))
    return message.replace(/, [a-z_]+(?: '[\s\S]*)?$/, '').split('\n')[0] ?? code;
  if (typeof code === 'string') return code;
  return message.split('\n')[0] ?? message;
}
