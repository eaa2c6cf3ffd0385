import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { manualMatches, scanFolder } from './manual-matches';

describe("the manual sources' files in a Downloads folder", () => {
  it('offers a single file by its name, and a set of parts only once every part is there', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cc_sbu_align.zip'), 'zip');
    writeFileSync(join(dir, 'cc_sbu_align (1).zip.crdownload'), 'a second copy still coming (Chrome)');
    // Firefox: an empty file under the final name and the bytes in .part beside it — not offered.
    writeFileSync(join(dir, 'NExTVideo.zip'), '');
    writeFileSync(join(dir, 'NExTVideo.zip.part'), 'half');
    writeFileSync(join(dir, 'holiday.jpg'), 'x');
    mkdirSync(join(dir, 'NExTVideo_folder.zip'));
    for (let k = 0; k < 19; k++) writeFileSync(join(dir, `20bn-something-something-v2-${String(k).padStart(2, '0')}`), 'part');
    let found = manualMatches(dir, await scanFolder(dir));
    expect(found).toEqual([{ sourceId: 'minigpt4', path: join(dir, 'cc_sbu_align.zip'), names: ['cc_sbu_align.zip'], bytes: 3 }]);
    writeFileSync(join(dir, '20bn-something-something-v2-19'), 'part');
    found = manualMatches(dir, await scanFolder(dir));
    expect(found.map((f) => [f.sourceId, f.path, f.names.length, f.bytes])).toEqual([
      ['minigpt4', join(dir, 'cc_sbu_align.zip'), 1, 3],
      ['ssv2', join(dir, '20bn-something-something-v2-00'), 20, 80],
    ]);
  });

  it('a folder that is not there holds nothing', async () => {
    expect(await scanFolder(join(tempDir(), 'no-such-folder'))).toEqual([]);
  });
});
