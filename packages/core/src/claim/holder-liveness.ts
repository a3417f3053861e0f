import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** Who holds a claim, written into the claim file. */
export interface HolderIdentity {
  pid: number;
  host: string;
  /** `/proc/sys/kernel/random/boot_id`: a pid means nothing across a reboot. */
  boot: string | undefined;
  /** The pid namespace: a pid means nothing in another container. */
  pidNamespace: string | undefined;
  /** Field 22 of `/proc/<pid>/stat`: tells a reused pid from the holder. */
  startTime: string | undefined;
}

let ours: HolderIdentity | undefined;

export function currentIdentity(): HolderIdentity {
  ours ??= {
    pid: process.pid,
    host: hostname(),
    boot: readOrUndefined(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()),
    pidNamespace: readOrUndefined(() => readlinkSync('/proc/self/ns/pid')),
    startTime: processStartTime(process.pid),
  };
  return ours;
}

/**
 * Whether a holder's process is certainly gone. `'unknown'` when it cannot be checked from here
 * (another host, boot or pid namespace; or our own pid, i.e. another thread or another copy of this
 * package): the caller then judges by the heartbeat.
 */
export function holderLiveness(holder: HolderIdentity): 'alive' | 'dead' | 'unknown' {
  const self = currentIdentity();
  if (holder.host !== self.host || holder.boot !== self.boot || holder.pidNamespace !== self.pidNamespace) return 'unknown';
  if (self.boot === undefined) return 'unknown';
  // Our own pid: another thread or another copy of this package, alive as we are, unless the claim was
  // left by an earlier process that had our pid.
  if (holder.pid === self.pid) return holder.startTime === self.startTime ? 'unknown' : 'dead';
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it exists, as another user's process.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'dead';
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return 'unknown';
  }
  const stat = readStat(holder.pid);
  if (stat === undefined) return 'dead';
  // A zombie still answers kill(0) until its parent reaps it; it will never write a result.
  if (stat.state === 'Z' || stat.state === 'X') return 'dead';
  if (holder.startTime !== undefined && stat.startTime !== holder.startTime) return 'dead';
  return 'alive';
}

function processStartTime(pid: number): string | undefined {
  return readStat(pid)?.startTime;
}

function readStat(pid: number): { state: string; startTime: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or parentheses: split after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    const startTime = fields[19];
    if (state === undefined || startTime === undefined) return undefined;
    return { state, startTime };
  } catch {
    return undefined;
  }
}

function readOrUndefined(read: () => string): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
