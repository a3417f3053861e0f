import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { currentIdentity, holderLiveness } from './holder-liveness.js';

describe('holderLiveness', () => {
  it('tells a live process from a killed one', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)'], { stdio: 'ignore' });
    await once(child, 'spawn');
    const identity = { ...currentIdentity(), pid: child.pid as number, startTime: undefined };
    expect(holderLiveness(identity)).toBe('alive');
    child.kill('SIGKILL');
    // 'exit' comes once Node has reaped the child: no process has its pid any more (no wait needed).
    await once(child, 'exit');
    expect(holderLiveness(identity)).toBe('dead');
  });

  it('counts a reused pid as dead: the start time differs', () => {
    const self = currentIdentity();
    expect(holderLiveness({ ...self, pid: 1, startTime: '1' })).toBe('dead');
    expect(holderLiveness({ ...self, startTime: `${self.startTime}0` })).toBe('dead');
  });

  it('cannot judge our own pid, or another host, boot or pid namespace: the heartbeat decides', () => {
    const self = currentIdentity();
    expect(holderLiveness(self)).toBe('unknown');
    expect(holderLiveness({ ...self, pid: 1, host: 'elsewhere' })).toBe('unknown');
    expect(holderLiveness({ ...self, pid: 1, boot: 'another-boot' })).toBe('unknown');
    expect(holderLiveness({ ...self, pid: 1, pidNamespace: 'pid:[1]' })).toBe('unknown');
  });
});
