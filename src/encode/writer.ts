/**
 * A small byte-image writer: integers of 1, 2, 4 or 8 bytes in a target's byte order, and
 * pointers of its width. Values are range-checked so a too-wide value is an error, never a
 * silent truncation. Reusable by anyone who needs bytes laid out for another ABI.
 */
import type { TargetAbi } from '../ctype/target.js';

export type Width = 1 | 2 | 4 | 8;

export class ByteWriter {
  readonly view: DataView;
  readonly little: boolean;

  constructor(
    readonly bytes: Uint8Array,
    readonly endian: 'little' | 'big',
    readonly pointerBytes: 4 | 8 = 8,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.little = endian === 'little';
  }

  static forTarget(bytes: Uint8Array, target: TargetAbi): ByteWriter {
    return new ByteWriter(bytes, target.endian, target.types.pointer[0] as 4 | 8);
  }

  /** Writes an unsigned value; throws RangeError if it does not fit `width` bytes. */
  uint(offset: number, width: Width, value: bigint | number): void {
    const v = BigInt(value);
    if (v < 0n || v >> BigInt(width * 8) !== 0n) throw new RangeError(`${v} does not fit an unsigned ${width * 8}-bit field`);
    this.put(offset, width, v);
  }

  /** Writes a signed value in two's complement; throws RangeError if it does not fit. */
  int(offset: number, width: Width, value: bigint | number): void {
    const v = BigInt(value);
    const half = 1n << BigInt(width * 8 - 1);
    if (v < -half || v >= half) throw new RangeError(`${v} does not fit a signed ${width * 8}-bit field`);
    this.put(offset, width, BigInt.asUintN(width * 8, v));
  }

  pointer(offset: number, address: bigint): void {
    this.uint(offset, this.pointerBytes, address);
  }

  readUint(offset: number, width: Width): bigint {
    switch (width) {
      case 1:
        return BigInt(this.view.getUint8(offset));
      case 2:
        return BigInt(this.view.getUint16(offset, this.little));
      case 4:
        return BigInt(this.view.getUint32(offset, this.little));
      case 8:
        return this.view.getBigUint64(offset, this.little);
    }
  }

  private put(offset: number, width: Width, v: bigint): void {
    if (offset < 0 || offset + width > this.bytes.byteLength) throw new RangeError(`write of ${width} bytes at ${offset} outside a ${this.bytes.byteLength}-byte segment`);
    switch (width) {
      case 1:
        this.view.setUint8(offset, Number(v));
        return;
      case 2:
        this.view.setUint16(offset, Number(v), this.little);
        return;
      case 4:
        this.view.setUint32(offset, Number(v), this.little);
        return;
      case 8:
        this.view.setBigUint64(offset, v, this.little);
        return;
    }
  }
}

/** Bytes as a hex dump: offset, 16 bytes a line in groups of 4, as xxd -g 4 would show. */
export function hexDump(bytes: Uint8Array, width = 16): string[] {
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += width) {
    const row = [...bytes.subarray(at, at + width)].map((b) => b.toString(16).padStart(2, '0'));
    const groups: string[] = [];
    for (let g = 0; g < row.length; g += 4) groups.push(row.slice(g, g + 4).join(''));
    lines.push(`${at.toString(16).padStart(4, '0')}: ${groups.join(' ')}`);
  }
  return lines;
}
