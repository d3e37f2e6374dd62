import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** Who the process runs as (Node must be root to give another uid). */
export interface LineProcessOptions {
  uid?: number;
  gid?: number;
}

/**
 * A small C process driven over a line protocol on its stdin/stdout (build/clonehelper,
 * build/pidns). Every request has a timeout; on timeout or exit the process is killed and
 * further requests fail with the error `makeError` builds, so the runner can skip the
 * variants that need it and go on.
 */
export class LineProcess {
  private child: ChildProcessWithoutNullStreams;
  private buffered = '';
  private waiting: { resolve: (line: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | null = null;
  private lines: string[] = [];
  private dead: Error | null = null;
  private exited: Promise<void>;

  constructor(
    path: string,
    private readonly name: string,
    private readonly makeError: (message: string) => Error,
    options: LineProcessOptions = {},
  ) {
    // detached: false keeps it in our process group; the C side ignores SIGINT itself.
    this.child = spawn(path, [], { stdio: ['pipe', 'pipe', 'pipe'], ...options });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.buffered += chunk;
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        this.lines.push(this.buffered.slice(0, nl));
        this.buffered = this.buffered.slice(nl + 1);
      }
      this.deliver();
    });
    this.child.stdin.on('error', () => {}); // EPIPE after a crash is reported through 'exit'
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.fail(makeError(`${name} exited (${signal ?? `code ${code}`})`));
        resolve();
      });
      this.child.once('error', (err) => {
        this.fail(makeError(`${name} could not run: ${err.message}`));
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private deliver(): void {
    if (this.waiting && this.lines.length) {
      const w = this.waiting;
      this.waiting = null;
      clearTimeout(w.timer);
      w.resolve(this.lines.shift() as string);
    }
  }

  private fail(err: Error): void {
    if (!this.dead) this.dead = err;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      clearTimeout(w.timer);
      w.reject(err);
    }
  }

  /** Sends one command and waits for its answer line, at most timeoutMs. */
  async request(command: string, timeoutMs: number): Promise<string> {
    if (this.dead) throw this.dead;
    if (this.waiting) throw this.makeError(`${this.name}: one request at a time`);
    const answer = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(this.makeError(`${this.name} did not answer \`${command}\` within ${timeoutMs} ms`));
        this.child.kill('SIGKILL');
      }, timeoutMs);
      this.waiting = { resolve, reject, timer };
    });
    this.child.stdin.write(`${command}\n`);
    this.deliver();
    return answer;
  }

  /** Closes stdin (the process exits at end of input) and waits; SIGKILL after timeoutMs. */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.stdin.end();
      const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
      await this.exited;
      clearTimeout(timer);
    }
  }
}
