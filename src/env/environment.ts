import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, hostname, release, arch } from 'node:os';
import { createRequire } from 'node:module';
import koffi from 'koffi';

/** Jiffies of steal time (the 8th field of the `cpu` line of /proc/stat). */
export interface StealSample {
  at: string;
  stealTicks: number;
  totalTicks: number;
}

export interface Environment {
  host: string;
  arch: string;
  kernelRelease: string;
  kernelVersion: string;
  cpuModel: string;
  cores: number;
  virtualisation: string;
  vulnerabilities: Record<string, string>;
  clockSource: string;
  governor: string | null;
  nodeVersion: string;
  koffiVersion: string;
  uid: number;
  gid: number;
  capEff: string;
  /** USER_HZ, to turn steal ticks into time. */
  clockTicksPerSecond: number;
  /** Vendor, family, model and stepping: the CPU model name alone hides the generation in VMs. */
  cpuId: string;
  /** CPU features that move the figures measured here (null: not determinable). */
  cpuFlags: CpuFlags;
}

/**
 * - pti: page-table isolation on (every kernel entry and exit switches page tables);
 * - pcid/invpcid: TLB entries survive those switches (without PCID, PTI flushes the TLB);
 * - fsrm/erms: the kernel's copy_from_user is an inline `rep movsb` (fast short / enhanced rep
 *   movsb), whose slow path for short copies ending at a page end is CPU-specific (method.md).
 */
export interface CpuFlags {
  pti: boolean | null;
  pcid: boolean | null;
  invpcid: boolean | null;
  fsrm: boolean | null;
  erms: boolean | null;
}

/** The flags line of /proc/cpuinfo and the meltdown status decide CpuFlags. */
export function cpuFlagsFrom(cpuinfo: string | null, meltdown: string | null): CpuFlags {
  const flags = /^flags\s*:(.*)$/m.exec(cpuinfo ?? '')?.[1]?.trim().split(/\s+/) ?? null;
  const has = (f: string) => (flags ? flags.includes(f) : null);
  const ptiFlag = has('pti');
  const pti = ptiFlag === true || /\bPTI\b/.test(meltdown ?? '') ? true : flags === null && meltdown === null ? null : false;
  return { pti, pcid: has('pcid'), invpcid: has('invpcid'), fsrm: has('fsrm'), erms: has('erms') };
}

function cpuIdFrom(cpuinfo: string): string {
  const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(cpuinfo)?.[1]?.trim() ?? '?';
  return `${field('vendor_id')} family ${field('cpu family')} model ${field('model')} stepping ${field('stepping')}`;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

function run(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout: 3000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch (err) {
    // systemd-detect-virt prints "none" and exits 1 on bare metal.
    const out = (err as { stdout?: string }).stdout;
    return typeof out === 'string' && out.trim() ? out.trim() : null;
  }
}

export function readSteal(): StealSample {
  const line = (read('/proc/stat') ?? '').split('\n').find((l) => l.startsWith('cpu ')) ?? '';
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  return {
    at: new Date().toISOString(),
    stealTicks: fields[7] ?? 0,
    totalTicks: fields.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0),
  };
}

function virtualisation(): string {
  const parts: string[] = [];
  // Ask for the VM and the container separately: inside a container in a VM the plain call
  // names only the container, which hides the hypervisor that decides syscall costs.
  const vm = run('systemd-detect-virt', ['--vm']);
  if (vm) parts.push(`vm: ${vm}`);
  const container = run('systemd-detect-virt', ['--container']);
  if (container && container !== 'none') parts.push(`container: ${container}`);
  const product = read('/sys/class/dmi/id/product_name');
  if (product) parts.push(product);
  if (/^flags\s*:.*\bhypervisor\b/m.test(read('/proc/cpuinfo') ?? '')) parts.push('cpuinfo: hypervisor flag');
  return parts.length ? parts.join('; ') : 'unknown';
}

function vulnerabilities(): Record<string, string> {
  const dir = '/sys/devices/system/cpu/vulnerabilities';
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) out[name] = read(`${dir}/${name}`) ?? 'unreadable';
  return out;
}

function koffiVersion(): string {
  const v = (koffi as unknown as { version?: string }).version;
  if (v) return v;
  try {
    return (createRequire(import.meta.url)('koffi/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function collectEnvironment(): Environment {
  const status = read('/proc/self/status') ?? '';
  const cpuModel = /^model name\s*:\s*(.*)$/m.exec(read('/proc/cpuinfo') ?? '')?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return {
    host: hostname(),
    arch: arch(),
    kernelRelease: release(),
    kernelVersion: read('/proc/sys/kernel/version') ?? 'unknown',
    cpuModel,
    cores: cpus().length,
    virtualisation: virtualisation(),
    vulnerabilities: vulnerabilities(),
    clockSource: read('/sys/devices/system/clocksource/clocksource0/current_clocksource') ?? 'unknown',
    governor: read('/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor'),
    nodeVersion: process.version,
    koffiVersion: koffiVersion(),
    uid: process.getuid?.() ?? -1,
    gid: process.getgid?.() ?? -1,
    capEff: /^CapEff:\s*(\S+)/m.exec(status)?.[1] ?? 'unknown',
    clockTicksPerSecond: Number(run('getconf', ['CLK_TCK'])) || 100,
    cpuId: cpuIdFrom(read('/proc/cpuinfo') ?? ''),
    cpuFlags: cpuFlagsFrom(read('/proc/cpuinfo'), read('/sys/devices/system/cpu/vulnerabilities/meltdown')),
  };
}

/** Resident set size and VMA count of this process, recorded with every clone figure
 * because fork cost follows the parent's address space. */
export function selfMemory(): { rssKiB: number; vmaCount: number } {
  const rss = /^VmRSS:\s*(\d+)/m.exec(read('/proc/self/status') ?? '')?.[1];
  const maps = read('/proc/self/maps') ?? '';
  return { rssKiB: rss ? Number(rss) : -1, vmaCount: maps ? maps.split('\n').length : -1 };
}
