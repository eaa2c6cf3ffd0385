import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { detectFileSystem, fileSystemOfType } from './file-system';

describe('file system detection', () => {
  it('knows the network and FUSE file systems by their statfs magic numbers', () => {
    const cases: Array<[number, string]> = [
      [0x6969, 'NFS'],
      [0xff534d42, 'CIFS'],
      [0xfe534d42, 'SMB2'],
      [0x517b, 'SMB'],
      [0x0bd00bd0, 'Lustre'],
      [0x47504653, 'GPFS'],
      [0x65735546, 'FUSE'],
      [0x01021997, '9p'],
      [0x00c36400, 'CephFS'],
    ];
    for (const [type, name] of cases) expect(fileSystemOfType(type)).toEqual({ shared: true, name });
    // CIFS's number as a sign-extended 32-bit value.
    expect(fileSystemOfType(0xff534d42 | 0)).toEqual({ shared: true, name: 'CIFS' });
  });

  it('takes ext4, xfs, btrfs, tmpfs and overlayfs as local', () => {
    for (const type of [0xef53, 0x58465342, 0x9123683e, 0x01021994, 0x794c7630]) expect(fileSystemOfType(type).shared).toBe(false);
  });

  it('answers for a real folder, and takes a folder it cannot stat as local', () => {
    expect(detectFileSystem(tempDir())).toHaveProperty('shared');
    expect(detectFileSystem('/no/such/folder')).toEqual({ shared: false, name: 'local' });
  });
});
