/** Test helper: the processes whose parent is `ppid`, from /proc/<pid>/stat. */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcEntry {
  pid: number;
  state: string;
  comm: string;
}

export function childrenOf(ppid: number): ProcEntry[] {
  const out: ProcEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // pid (comm) state ppid ...; comm may contain spaces and parentheses.
    const close = stat.lastIndexOf(')');
    const [state, parent] = stat.slice(close + 2).split(' ');
    if (Number(parent) === ppid) out.push({ pid: Number(name), state, comm: stat.slice(stat.indexOf('(') + 1, close) });
  }
  return out;
}

export function processExists(pid: number): boolean {
  try {
    readFileSync(`/proc/${pid}/stat`);
    return true;
  } catch {
    return false;
  }
}
