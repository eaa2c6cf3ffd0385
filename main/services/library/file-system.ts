import { statfsSync } from 'node:fs';

/** What the library folder's file system means for SQLite: `shared` when WAL's shared memory cannot be trusted there. */
export interface FileSystemKind {
  shared: boolean;
  /** A name to show the user, e.g. "NFS"; "local" when nothing special was found. */
  name: string;
}

/** Judges the file system a folder lives on; injected by tests, which cannot mount NFS. */
export type FileSystemDetector = (dir: string) => FileSystemKind;

export const LOCAL: FileSystemKind = { shared: false, name: 'local' };

/**
 * Linux `statfs` f_type magic numbers of file systems where another machine (or a user-space daemon) stands
 * between SQLite and the disk. WAL keeps its index in a memory-mapped -shm file that every process must see
 * coherently, which "does not work over a network filesystem" (sqlite.org/wal.html); FUSE is listed because
 * sshfs, s3fs, gcsfuse and rclone are FUSE and their mmap and lock coherence is the daemon's to give or not.
 */
const SHARED_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x6969, 'NFS'],
  [0x517b, 'SMB'],
  [0xff534d42, 'CIFS'],
  [0xfe534d42, 'SMB2'],
  [0x0bd00bd0, 'Lustre'],
  [0x47504653, 'GPFS'],
  [0x65735546, 'FUSE'],
  [0x01021997, '9p'],
  [0x00c36400, 'CephFS'],
  [0x5346414f, 'AFS'],
  [0x6b414653, 'AFS'],
  [0x73757245, 'Coda'],
  [0x564c, 'NCP'],
  [0x7461636f, 'OCFS2'],
  [0x01161970, 'GFS2'],
  [0x19830326, 'BeeGFS'],
  [0x20030528, 'OrangeFS'],
]);

/** The real detector: Linux magic numbers; elsewhere, or when statfs fails, the folder is taken as local. */
export const detectFileSystem: FileSystemDetector = (dir) => {
  // macOS and Windows report other numbers for the same file systems; without a table for them, local is the
  // behaviour the app always had there.
  if (process.platform !== 'linux') return LOCAL;
  try {
    return fileSystemOfType(statfsSync(dir).type);
  } catch {
    return LOCAL;
  }
};

export function fileSystemOfType(type: number): FileSystemKind {
  // f_type is a C long; CIFS's 0xFF534D42 may come back sign-extended on some builds.
  const name = SHARED_FILE_SYSTEMS.get(type >>> 0);
  return name ? { shared: true, name } : LOCAL;
}
