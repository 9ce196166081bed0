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
      // Last registered first: a cluster's processes die before its directory goes.
      for (const fn of [...exitCleanups].reverse()) {
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

/** Kills process groups and removes a directory when this Node process dies. */
export interface Watchdog {
  /** Adds a process group to kill. */
  watch(pgid: number): void;
  /** Stops the watchdog without it doing anything (normal shutdown). */
  disarm(): void;
}

// Reads process group ids from stdin until EOF, which comes when the pipe's
// writer (this Node process) is gone, however it died; then kills the groups,
// waits briefly for them to go, and removes the directory. (dash's kill
// takes neither "--" nor "-s KILL" before a negative pid; "-9 -pgid" works.)
const WATCHDOG_SCRIPT = `
dir="$1"; groups=""
while read -r g; do groups="$groups $g"; done
for g in $groups; do kill -9 "-$g" 2>/dev/null; done
for g in $groups; do
  i=0
  while kill -0 "-$g" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
done
rm -rf -- "$dir"
`;

/**
 * Covers what an 'exit' handler cannot: the test runner being SIGKILLed
 * (e.g. a jest worker that failed to exit). Runs in its own process group.
 */
export function startWatchdog(dir: string): Watchdog {
  const child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'flsec-watchdog', dir], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.unref();
  const stdin = child.stdin!;
  (stdin as unknown as { unref?: () => void }).unref?.();
  // EPIPE after disarm or an early death of the shell is not our concern.
  stdin.on('error', () => {});
  return {
    watch(pgid) {
      stdin.write(`${pgid}\n`);
    },
    disarm() {
      // Kill it without closing the pipe first, so it never fires.
      if (child.pid !== undefined) {
        signalGroup(child.pid, 'SIGKILL');
      }
      stdin.destroy();
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
