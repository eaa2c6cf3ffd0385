import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runVc2m as vc2m } from '../../tests/fixtures/run-vc2m';
import { spannedZip } from '../../tests/fixtures/spanned-zip';
import { tempDir } from '../../tests/fixtures/temp-dir';

// vc2m import: media the user already has (a lab share, an old download), as an archive or a folder.
const uids = ['d250521e-5197-44aa-8baa-2f42b24444d2', '0a1b2c3d-0000-4000-8000-000000000001'];
const refs = uids.flatMap((uid) => [0, 1].map((k) => `${uid}/split_${k}.mp4`));

async function libraryWithEgoqaAnnotations() {
  const annotations = tempDir();
  mkdirSync(join(annotations, 'video/vqa/ego_qa'), { recursive: true });
  writeFileSync(join(annotations, 'video/vqa/ego_qa/train.json'), JSON.stringify(refs.map((video) => ({ video, QA: [{ i: '', q: 'What?', a: 'A clip.' }] }))));
  const library = join(tempDir(), 'lib');
  const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: library };
  expect((await vc2m(['init', library], env)).code).toBe(0);
  expect((await vc2m(['annotations', 'import', annotations], env)).code).toBe(0);
  return { library, env };
}

/** A user's folder: the clips under a top folder of their own choosing, plus the junk a Mac leaves. */
function usersFolder(): string {
  const dir = tempDir();
  for (const ref of refs) {
    mkdirSync(dirname(join(dir, 'my-egoqa', ref)), { recursive: true });
    writeFileSync(join(dir, 'my-egoqa', ref), `clip ${ref}`);
  }
  writeFileSync(join(dir, 'my-egoqa', '.DS_Store'), 'junk');
  return dir;
}

const verified = async (env: Record<string, string>) =>
  (JSON.parse((await vc2m(['verify', '--source', 'egoqa', '--json'], env)).stdout) as { subsets: Array<Record<string, unknown>> }).subsets.find(
    (s) => s.id === 'vqa_ego_qa',
  );

describe('vc2m import', () => {
  it('a folder is used in place (no copy): the folder its refs resolve under, found below the one given, becomes the root', async () => {
    const { env } = await libraryWithEgoqaAnnotations();
    const folder = usersFolder();
    const result = await vc2m(['import', 'egoqa', folder], env);
    expect(result).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`egoqa's media found under ${join(folder, 'my-egoqa')} (4 of 4 sampled refs there)`),
    });
    expect(await verified(env)).toMatchObject({ media: 4, present: 4, missing: 0 });
  });

  it('hard-links, copies or moves a folder into the library, leaving junk behind', async () => {
    const { library, env } = await libraryWithEgoqaAnnotations();
    const folder = usersFolder();
    const linked = await vc2m(['import', 'egoqa', folder, '--mode', 'link'], env);
    expect(linked).toMatchObject({ code: 0, stdout: expect.stringContaining('4 files linked') });
    const inLibrary = join(library, 'media', 'egoqa', 'my-egoqa', refs[0] as string);
    expect(statSync(inLibrary).ino).toBe(statSync(join(folder, 'my-egoqa', refs[0] as string)).ino);
    expect(existsSync(join(library, 'media', 'egoqa', 'my-egoqa', '.DS_Store'))).toBe(false);
    expect(await verified(env)).toMatchObject({ present: 4 });
    // Copy over the links: the same sizes are already there, nothing is rewritten.
    expect((await vc2m(['import', 'egoqa', folder, '--mode', 'copy'], env)).stdout).toContain('0 files copied into');
    const moved = await vc2m(['import', 'egoqa', folder, '--mode', 'move'], env);
    expect(moved.code).toBe(0);
    expect(existsSync(join(folder, 'my-egoqa', refs[0] as string))).toBe(false);
    expect(readFileSync(inLibrary, 'utf8')).toBe(`clip ${refs[0]}`);
  });

  it('an archive is extracted, byte-split parts taken as one from any one of them; a folder without the refs is refused with an example', async () => {
    const { library, env } = await libraryWithEgoqaAnnotations();
    const folder = usersFolder();
    const zip = join(tempDir(), 'egoqa.zip');
    execFileSync('python3', ['-c', 'import shutil, sys; shutil.make_archive(sys.argv[1][:-4], "zip", sys.argv[2])', zip, folder]);
    const bytes = readFileSync(zip);
    const parts = tempDir();
    writeFileSync(join(parts, 'egoqa.zip.partaa'), bytes.subarray(0, 300));
    writeFileSync(join(parts, 'egoqa.zip.partab'), bytes.subarray(300));
    const result = await vc2m(['import', 'egoqa', join(parts, 'egoqa.zip.partab')], env);
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('egoqa.zip.partab (2 parts): 4 files extracted') });
    expect(result.stdout).toContain(`found under ${join(library, 'media', 'egoqa', 'my-egoqa')}`);
    expect(await verified(env)).toMatchObject({ present: 4 });
    const wrong = await vc2m(['import', 'egoqa', tempDir()], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/none of egoqa's refs is under .* \(for example [0-9a-f-]+\/split_\d\.mp4\); pick the folder that holds them/);
  });

  it("CLEVRER's refs name only the file: the root is the folder that holds its bucket folders, found by name", async () => {
    const annotations = tempDir();
    const names = ['video_00001.mp4', 'video_05028.mp4'];
    mkdirSync(join(annotations, 'video/reasoning/clevrer_qa'), { recursive: true });
    writeFileSync(
      join(annotations, 'video/reasoning/clevrer_qa/train.json'),
      JSON.stringify(names.map((video) => ({ video, QA: [{ i: '', q: 'Q', a: 'A' }] }))),
    );
    const library = join(tempDir(), 'lib');
    const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: library };
    expect((await vc2m(['init', library], env)).code).toBe(0);
    expect((await vc2m(['annotations', 'import', annotations], env)).code).toBe(0);
    const share = tempDir();
    for (const [bucket, name] of [
      ['video_00000-01000', names[0]],
      ['video_05000-06000', names[1]],
    ]) {
      mkdirSync(join(share, 'clevrer', 'video_train', bucket as string), { recursive: true });
      writeFileSync(join(share, 'clevrer', 'video_train', bucket as string, name as string), 'x');
    }
    const result = await vc2m(['import', 'clevrer', share], env);
    expect(result).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`clevrer's media found under ${join(share, 'clevrer', 'video_train')} (2 of 2 sampled refs there)`),
    });
    const report = JSON.parse((await vc2m(['verify', '--source', 'clevrer', '--json'], env)).stdout) as { subsets: Array<Record<string, unknown>> };
    expect(report.subsets.find((s) => s.id === 'reasoning_clevrer_qa')).toMatchObject({ present: 2, missing: 0 });
  });

  it("SSv2's 20 byte-split parts: picking any one takes all of them in order, extracts them as one tar.gz, finds the root and verifies", async () => {
    const annotations = tempDir();
    const ids = [1, 2, 3, 220000, 74225];
    mkdirSync(join(annotations, 'video/classification/ssv2'), { recursive: true });
    writeFileSync(
      join(annotations, 'video/classification/ssv2/train.json'),
      JSON.stringify(ids.map((id) => ({ video: `${id}.webm`, QA: [{ i: 'Classify.', q: 'What happens?', a: 'Something.' }] }))),
    );
    const library = join(tempDir(), 'lib');
    const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: library };
    expect((await vc2m(['init', library], env)).code).toBe(0);
    expect((await vc2m(['annotations', 'import', annotations], env)).code).toBe(0);
    // The archive as Qualcomm ships it: one tar.gz cut into 20 parts, 20bn-something-something-v2-00 … -19.
    const work = tempDir();
    execFileSync('python3', [
      '-c',
      'import io, os, sys, tarfile\nwith tarfile.open(sys.argv[1], "w:gz") as t:\n    for n in sys.argv[2:]:\n        d = os.urandom(40000); i = tarfile.TarInfo("20bn-something-something-v2/" + n); i.size = len(d); t.addfile(i, io.BytesIO(d))',
      join(work, 'whole.tgz'),
      ...ids.slice(0, 4).map((id) => `${id}.webm`),
    ]);
    const whole = readFileSync(join(work, 'whole.tgz'));
    const downloads = join(work, 'Downloads');
    mkdirSync(downloads);
    const size = Math.ceil(whole.length / 20);
    for (let k = 0; k < 20; k++)
      writeFileSync(join(downloads, `20bn-something-something-v2-${String(k).padStart(2, '0')}`), whole.subarray(k * size, (k + 1) * size));
    writeFileSync(join(downloads, 'notes-01'), 'not a part');
    const result = await vc2m(['import', 'ssv2', join(downloads, '20bn-something-something-v2-07')], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('20bn-something-something-v2-07 (20 parts): 4 files extracted');
    expect(result.stdout).toContain(`ssv2's media found under ${join(library, 'media', 'ssv2', '20bn-something-something-v2')}`);
    expect(result.stdout).toMatch(/verify: .*1 missing, 0 corrupt/);
    const report = JSON.parse((await vc2m(['verify', '--source', 'ssv2', '--json'], env)).stdout) as { subsets: Array<Record<string, unknown>> };
    expect(report.subsets.find((s) => s.id === 'classification_ssv2')).toMatchObject({ media: 5, present: 4, missing: 1 });
  });

  it("Info-ZIP's spanned zips (x.z01 … x.zip): picking any part extracts them as one, offsets per part and all", async () => {
    const { env } = await libraryWithEgoqaAnnotations();
    const dir = tempDir();
    const parts = spannedZip(
      dir,
      'egoqa_clips',
      refs.map((ref) => `my-egoqa/${ref}=120000`),
    );
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(parts.at(-1)).toBe('egoqa_clips.zip');
    const result = await vc2m(['import', 'egoqa', join(dir, 'egoqa_clips.z02')], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`egoqa_clips.z02 (${parts.length} parts): 4 files extracted`);
    expect(await verified(env)).toMatchObject({ media: 4, present: 4, missing: 0 });
  });
});
