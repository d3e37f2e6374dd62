import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CloneShape, CloneVia, readCompileInfo, type BatchResult, type CloneShapeName, type CloneViaName, type CompileInfo } from './harness.js';
import { HELPER_PATH } from './paths.js';

export class HelperError extends Error {
  override name = 'HelperError';
}

export interface HelperStatus {
  rssKiB: number;
  vmaCount: number;
  pid: number;
}

/**
 * The small C helper process (build/clonehelper) driven over a line protocol on its
 * stdin/stdout. Every request has a timeout; on timeout or a protocol error the helper is
 * killed and further requests fail, so the runner can skip its variants and go on.
 */
export class CloneHelper {
  private child: ChildProcessWithoutNullStreams;
  private buffered = '';
  private waiting: { resolve: (line: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | null = null;
  private lines: string[] = [];
  private dead: Error | null = null;
  private exited: Promise<void>;

  private constructor(path: string) {
    // detached: false keeps it in our process group; it ignores SIGINT itself.
    this.child = spawn(path, [], { stdio: ['pipe', 'pipe', 'pipe'] });
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
        this.fail(new HelperError(`clonehelper exited (${signal ?? `code ${code}`})`));
        resolve();
      });
      this.child.once('error', (err) => {
        this.fail(new HelperError(`clonehelper could not run: ${err.message}`));
        resolve();
      });
    });
  }

  static start(path = HELPER_PATH): CloneHelper {
    if (!existsSync(path)) throw new HelperError(`${path} is missing: run \`npm run build\` (needs cc)`);
    return new CloneHelper(path);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  static compileInfo(): CompileInfo {
    return readCompileInfo(HELPER_PATH);
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
    if (this.waiting) throw new HelperError('clonehelper: one request at a time');
    const answer = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new HelperError(`clonehelper did not answer \`${command}\` within ${timeoutMs} ms`));
        this.child.kill('SIGKILL');
      }, timeoutMs);
      this.waiting = { resolve, reject, timer };
    });
    this.child.stdin.write(`${command}\n`);
    this.deliver();
    return answer;
  }

  private static parseOk(line: string): BatchResult {
    const m = /^ok (-?\d+) (-?\d+) (-?\d+)$/.exec(line);
    if (!m) throw new HelperError(`clonehelper answered \`${line}\``);
    return { ns: Number(m[1]), done: Number(m[2]), ret: Number(m[3]) };
  }

  async cloneBatch(shape: CloneShapeName, via: CloneViaName, iters: number, timeoutMs: number): Promise<BatchResult> {
    return CloneHelper.parseOk(await this.request(`clone ${CloneShape[shape]} ${CloneVia[via]} ${iters}`, timeoutMs));
  }

  /** The minimal C loop: libc getppid() `iters` times between two clock reads. */
  async getppidBatch(iters: number, timeoutMs: number, raw = false): Promise<BatchResult> {
    return CloneHelper.parseOk(await this.request(`${raw ? 'rawgetppid' : 'getppid'} ${iters}`, timeoutMs));
  }

  async pin(cpu: number): Promise<number> {
    return CloneHelper.parseOk(await this.request(`pin ${cpu}`, 5000)).ret;
  }

  async status(): Promise<HelperStatus> {
    const line = await this.request('status', 5000);
    const m = /^status (-?\d+) (-?\d+) (\d+)$/.exec(line);
    if (!m) throw new HelperError(`clonehelper answered \`${line}\``);
    return { rssKiB: Number(m[1]), vmaCount: Number(m[2]), pid: Number(m[3]) };
  }

  /** Closes stdin (the helper exits at end of input) and waits; SIGKILL after timeoutMs. */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.stdin.end();
      const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
      await this.exited;
      clearTimeout(timer);
    }
  }
}
