import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';

/** A server started in its own process group, output going to a log file. */
export interface ManagedProcess {
  name: string;
  /** Process id; also the process group id (spawned detached). */
  pid: number;
  logFile: string;
  /** Resolves with the exit code or signal once the process has exited. */
  exited: Promise<string>;
  hasExited(): boolean;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    // EPERM: the group exists but belongs to someone else (pid reused).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

const exitCleanups = new Set<() => void>();
let exitHookInstalled = false;

/**
 * Registers synchronous cleanup for when the test runner exits without
 * stop() having run ('exit' handlers may only do synchronous work, which is
 * enough to SIGKILL process groups and remove directories). Returns the
 * function that unregisters it.
 */
export function onProcessExit(cleanup: () => void): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const fn of exitCleanups) {
        try {
          fn();
        } catch {
          // Best effort: keep cleaning up the rest.
        }
      }
    });
  }
  exitCleanups.add(cleanup);
  return () => exitCleanups.delete(cleanup);
}

export function startProcess(
  name: string,
  command: string,
  args: string[],
  logFile: string,
): ManagedProcess {
  const log = fs.openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    // detached: own process group, so stop() reaches every descendant.
    child = spawn(command, args, { detached: true, stdio: ['ignore', log, log] });
  } finally {
    fs.closeSync(log);
  }
  if (child.pid === undefined) {
    throw new Error(`could not start ${name} (${command})`);
  }
  const pid = child.pid;
  const unregister = onProcessExit(() => signalGroup(pid, 'SIGKILL'));
  let done = false;
  const exited = new Promise<string>(resolve => {
    child.once('exit', (code, signal) => {
      done = true;
      unregister();
      resolve(signal ? `signal ${signal}` : `code ${code}`);
    });
    child.once('error', error => {
      done = true;
      resolve(`spawn error ${error.message}`);
    });
  });
  // A forgotten cluster must not keep the test runner alive; the exit hook
  // and the watchdog still reap it.
  child.unref();
  return { name, pid, logFile, exited, hasExited: () => done };
}

/**
 * SIGTERM the whole group, then SIGKILL after graceMs; resolves once no
 * process of the group remains.
 */
export async function stopProcess(proc: ManagedProcess, graceMs = 10_000): Promise<void> {
  signalGroup(proc.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(proc.pid) && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  if (groupAlive(proc.pid)) {
    signalGroup(proc.pid, 'SIGKILL');
    const killDeadline = Date.now() + 5_000;
    while (groupAlive(proc.pid) && Date.now() < killDeadline) {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }
  if (groupAlive(proc.pid)) {
    throw new Error(`${proc.name} (process group ${proc.pid}) did not exit`);
  }
}

/** A watchdog that kills the given groups when this Node process dies. */
export interface Watchdog {
  disarm(): void;
}

/**
 * Covers what an 'exit' handler cannot: the test runner being SIGKILLed.
 * A shell in its own group blocks reading a pipe from us; EOF means we are
 * gone (the kernel closes the pipe), and it kills the server groups.
 */
export function startWatchdog(pgids: number[]): Watchdog {
  const script = 'cat >/dev/null; for g in "$@"; do kill -KILL -- "-$g" 2>/dev/null; done';
  const child = spawn('/bin/sh', ['-c', script, 'flsec-watchdog', ...pgids.map(String)], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    disarm() {
      // Kill it without closing the pipe first, so it never fires.
      if (child.pid !== undefined) {
        signalGroup(child.pid, 'SIGKILL');
      }
      child.stdin?.destroy();
    },
  };
}

/** The last lines of a log file, for error messages. */
export function logTail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
