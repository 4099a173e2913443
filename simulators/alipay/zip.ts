/**
 * A minimal ZIP writer (deflate, no encryption). Entry names are written in GBK without the UTF-8 flag,
 * as Alipay's bill archives are, so a reader must decode them as GBK.
 */
import { crc32, deflateRawSync } from "node:zlib";
import iconv from "iconv-lite";

export interface ZipEntry {
  name: string;
  data: Buffer;
  modified: Date;
}

/** MS-DOS date and time of the local (here: Beijing) wall clock. */
function dosDateTime(date: Date): { time: number; day: number } {
  const b = new Date(date.getTime() + 8 * 3_600_000);
  return {
    time: (b.getUTCHours() << 11) | (b.getUTCMinutes() << 5) | Math.floor(b.getUTCSeconds() / 2),
    day: ((b.getUTCFullYear() - 1980) << 9) | ((b.getUTCMonth() + 1) << 5) | b.getUTCDate(),
  };
}

export function writeZip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = iconv.encode(entry.name, "gbk");
    const compressed = deflateRawSync(entry.data);
    const crc = crc32(entry.data);
    const { time, day } = dosDateTime(entry.modified);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(day, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(day, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
