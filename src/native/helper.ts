import { existsSync } from 'node:fs';
import { CloneShape, CloneVia, readCompileInfo, type BatchResult, type CloneShapeName, type CloneViaName, type CompileInfo } from './harness.js';
import { LineProcess } from './line-process.js';
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
  private constructor(private readonly proc: LineProcess) {}

  static start(path = HELPER_PATH): CloneHelper {
    if (!existsSync(path)) throw new HelperError(`${path} is missing: run \`npm run build\` (needs cc)`);
    return new CloneHelper(new LineProcess(path, 'clonehelper', (m) => new HelperError(m)));
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  static compileInfo(): CompileInfo {
    return readCompileInfo(HELPER_PATH);
  }

  /** Sends one command and waits for its answer line, at most timeoutMs. */
  request(command: string, timeoutMs: number): Promise<string> {
    return this.proc.request(command, timeoutMs);
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
  close(timeoutMs = 5000): Promise<void> {
    return this.proc.close(timeoutMs);
  }
}
