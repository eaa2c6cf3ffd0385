// over 400 lines: catalog data, one route per media source with the research's facts; splitting it would scatter them.
import type { Route, Size } from './schema';

// How each source's media reach the disk (issue 11), from research/sources.md (cited as S:<line>). What the research
// does not know is null or said to be unknown, never guessed. Sizes written as byte counts are exact; figures such
// as "13.5 GB" (decimal, as the Hub and the research write them) are estimates.

const exact = (bytes: number): Size => ({ bytes, exact: true });
const about = (gigabytes: number): Size => ({ bytes: Math.round(gigabytes * 1e9), exact: false });

const YNHE = 'ynhe/videochat2_data';
/** The only revision of ynhe/videochat2_data the research recorded (S:45); whether it holds the YouCook2 parts is unknown. */
const YNHE_REVISION = 'eccfd0dc86fd0a03b5ca52bf65d0e9b11d7e9247';

/** The HD and other sources sources.md did not research (S:437): only where to start is known. */
const notResearched = (name: string, extra: string[] = []): Route => ({
  kind: 'manual',
  page: null,
  steps: [
    `How ${name} is distributed has not been researched for this app; a maintainer says the HD sources "can be directly downloaded from their official repos" (Ask-Anything #203).`,
    "Start from the source's homepage, fetch the images or videos the subsets need, and import the archive or folder into the library.",
  ],
  pick: null,
  expect: [],
  format: 'unknown',
  tree: null,
  researched: false,
  notes: extra,
});

export const routes = {
  coco: {
    kind: 'http',
    files: [{ parts: ['http://images.cocodataset.org/zips/train2014.zip'], format: 'zip', size: about(13.5), sha256: null, into: '' }],
    lists: [],
    notes: [
      'Sizes are from a Hub re-upload (GAIA-URJC/COCO_2014); official checksums are unknown (S:121-122).',
      'val2014.zip (6.65 GB, http://images.cocodataset.org/zips/val2014.zip) is fetched only if verification finds val2014/ refs: whether caption_coco uses any is unknown (S:129-131).',
      "The zip's top folder is unknown; the root is found after extraction.",
    ],
  },
  minigpt4: {
    kind: 'manual',
    page: 'https://drive.google.com/file/d/1nJXhoEcy3KTExr17I7BXqY5Y9Lx_-n-9/view',
    steps: [
      'Open the Google Drive link (from the MiniGPT-4 second-stage README, confirmed by a maintainer in Ask-Anything #199).',
      'Download cc_sbu_align.zip; Drive may ask you to confirm the download or refuse it for a while (quota).',
      'Import the zip: the images are cc_sbu_align/image/<n>.jpg.',
    ],
    pick: 'cc_sbu_align.zip',
    expect: [{ name: 'cc_sbu_align*.zip', parts: 1, size: null }],
    format: 'zip',
    tree: 'cc_sbu_align/filter_cap.json, cc_sbu_align/image/<n>.jpg',
    researched: true,
    notes: [
      'Zip size unknown (S:156).',
      'Hub copies: dongdong2021/cc_sbu_align (3,439 images, 29.2 MB, against 3,362 records) and Vision-CAIR/cc_sbu_align (may be incomplete; unverified) (S:156-158).',
    ],
  },
  m3it: {
    kind: 'hf',
    repo: 'MMInstruction/M3IT',
    repoType: 'dataset',
    revision: null,
    files: [
      {
        parts: ['data/captioning/image_paragraph_captioning/image_paragraph_captioning_train.jsonl'],
        format: 'jsonl-base64',
        size: about(0.735),
        into: 'image-paragraph-captioning',
      },
      { parts: ['data/captioning/textcap/train.jsonl'], format: 'jsonl-base64', size: about(6.15), into: 'textcap' },
      { parts: ['data/classification/itm/train.jsonl'], format: 'jsonl-base64', size: null, into: 'coco-itm' },
      { parts: ['data/reasoning/clevr/train.jsonl'], format: 'jsonl-base64', size: about(5.97), into: 'clevr' },
      { parts: ['data/reasoning/visual_mrc/train.jsonl'], format: 'jsonl-base64', size: about(4.24), into: 'visual-mrc' },
      { parts: ['data/vqa/vqav2/train.jsonl'], format: 'jsonl-base64', size: about(1.99), into: 'vqa-v2' },
      { parts: ['data/vqa/okvqa/train.jsonl'], format: 'jsonl-base64', size: about(0.624), into: 'okvqa' },
    ],
    candidateSha256: { 'data/reasoning/clevr/train.jsonl': 'aee41d6cbf4cac8c97d37edf93e2f07790ff80235ccaada3bb3b93c27e553716' },
    notes: [
      'Images are base64 strings in image_base64_str[0] of each JSONL record; they are written as <task folder>/train/<index>.jpg (S:83, S:103-104).',
      'The repo files of imagenet, gqa, a-okvqa, viquae, ocr-vqa, text-vqa, st-vqa, docvqa and science-qa are unknown (S:88-100).',
      'train.jsonl is used, not the rephrased train_2023-10-07.jsonl (S:105).',
      'Which revision OpenGVLab used, and so the exact image numbering, is unknown (S:106).',
    ],
  },
  infovqa: notResearched('InfographicVQA', ['Upstream root: ocr_data/InfoVQA/infographicVQA_train_v1.0_images.']),
  ai2d: notResearched('AI2D', ['Upstream root: ai2diagram/ai2d/images.']),
  chartqa: notResearched('ChartQA', ['Upstream root: "chartqa/ChartQA Dataset/train/png" (with a space); refs are bare PNG names.']),
  dvqa: notResearched('DVQA', ['Upstream root: DVQA/images.']),
  llava_image_tune: notResearched('the Video-LLaVA image tuning set (COCO, VG)', ['Upstream roots: videollava/llava_image_tune/coco and …/vg.']),
  lvis_instruct4v: notResearched('LVIS-Instruct4V', ['Upstream root is the data root itself: refs carry their own folders.']),
  sharegpt4v: notResearched('ShareGPT4V', ['Upstream root: sharegpt4v/data.']),
  textvr: {
    kind: 'manual',
    page: 'https://drive.google.com/file/d/1RZefU1XqODCt2NH68P0V_DMAOiQjRlSn/view',
    steps: [
      'Open the Google Drive link of the TextVR README ("resized videos and annotation files", about 5.4 GB).',
      'Download the zip; which variant OpenGVLab used (resized or the 85 GB originals) is unknown.',
      'Import the zip: videos are <Category>/<name>.mp4 under a Video or Videos folder.',
    ],
    pick: null,
    expect: [],
    format: 'zip',
    tree: 'TextVR/Videos/<Category>/<name>.mp4 (the loader reads Video/, singular)',
    researched: true,
    notes: [
      'Originals (85 GB): Google Drive folder https://drive.google.com/drive/folders/1-ibNInaQusVEckCtKdUWGQjnr7DT4-E9 or Baidu https://pan.baidu.com/s/1b9n19AvSsfFmhXgAsajo9Q (code nenm); format unknown (S:363).',
      'Checksums unknown (S:365).',
    ],
  },
  webvid: {
    kind: 'per-file-http',
    table: {
      what: 'WebVid metadata CSVs (the TempoFunk/webvid-10M partitions), each row a clip with its contentUrl',
      hub: { repo: 'TempoFunk/webvid-10M', repoType: 'dataset', glob: 'data/{train,val}/partitions/*.csv' },
      columns: { url: 'contentUrl', file: '{page_dir}/{videoid}.mp4' },
    },
    notes: [
      'The official URLs were withdrawn in February 2024 after a cease-and-desist (S:174); whether the contentUrl hosts still answer is unknown (S:180).',
      'About 0.05-0.07 % of clips are unrecoverable (S:190).',
      'A bulk third-party copy (MBZUAI/VideoGPT-plus_Training_Dataset webvid_{1..6}.tgz, ~36 GB each) has an unknown layout (S:182).',
    ],
  },
  youcook2: {
    kind: 'hf',
    repo: YNHE,
    repoType: 'dataset',
    revision: null,
    files: [
      {
        parts: ['youcook_split_videos.zip.partaa', 'youcook_split_videos.zip.partab'],
        format: 'zip',
        size: about(60),
        into: '',
      },
    ],
    candidateSha256: {},
    notes: [
      'Two byte-split halves (32.2 GB and 27.8 GB) of one Zip64 archive, read in order as one stream (S:41-43, S:51-52).',
      'The revision is left at main: the recorded one may predate the upload of these parts (S:32, S:45).',
      "The archive's top folder is unknown; the root is found after extraction (S:66-70).",
    ],
  },
  smit: notResearched('Spoken Moments in Time (S-MiT)', [
    'Whether a request form is needed, the archive format, the size and the ref naming are all unknown (S:430).',
  ]),
  kinetics: {
    kind: 'http',
    files: [
      {
        parts: ['https://s3.amazonaws.com/kinetics/400/replacement_for_corrupted_k400.tgz'],
        format: 'tar.gz',
        size: null,
        sha256: null,
        into: 'k400/replacement',
      },
    ],
    lists: [
      { list: 'https://s3.amazonaws.com/kinetics/400/train/k400_train_path.txt', format: 'tar.gz', into: 'k400/train' },
      { list: 'https://s3.amazonaws.com/kinetics/600/train/k600_train_path.txt', format: 'tar.gz', into: 'k600/train' },
      { list: 'https://s3.amazonaws.com/kinetics/700_2020/train/k700_2020_train_path.txt', format: 'tar.gz', into: 'k700/train' },
    ],
    notes: [
      'The CVDF lists name many tar.gz parts each; no checksums are published (S:242-254).',
      'Full sets: K400 436 GB, K600 727 GB, K700-2020 867 GB (user reports, S:250-253), of which 40,000 clips are used; the refs seen are all train (S:234-236).',
      'YouTube removals are permanent: about 1,000 of 40,000 clips are unrecoverable (S:260, S:274).',
    ],
  },
  ssv2: {
    kind: 'manual',
    page: 'https://developer.qualcomm.com/software/ai-datasets/something-something',
    steps: [
      'Sign in at Qualcomm and accept the Something-Something v2 licence.',
      'Download all 20 "Download Package" parts of the videos.',
      'Import the parts together, in order: they are one tar.gz split in bytes (classically 20bn-something-something-v2-00 … -19).',
    ],
    pick: '20bn-something-something-v2-?? (20 parts)',
    expect: [{ name: '20bn-something-something-v2-??', parts: 20, size: null }],
    format: 'tar.gz',
    tree: '20bn-something-something-v2/<numeric id>.webm',
    researched: true,
    notes: [
      'Total size and checksums unknown (S:287); Qualcomm packaging may differ from the classic concatenation (S:286).',
      'Third-party copies (VideoGPT+ ssv2.tgz 3.59 GB, MoE-LLaVA Sthv2.zip 3.55 GB) have unknown layouts (S:288).',
    ],
  },
  internvid: {
    kind: 'hf',
    repo: YNHE,
    repoType: 'dataset',
    revision: YNHE_REVISION,
    files: [{ parts: ['videochat2_conversation_videos.zip'], format: 'zip', size: exact(17_195_160_452), into: '' }],
    candidateSha256: { 'videochat2_conversation_videos.zip': 'a45197647a08a12eeff9f903cebaed524fe697e85780aaebdb773edd66d9add4' },
    notes: [
      'The candidate sha256 is from a third-party copy (lucasjin/VVVVVViDDDDEOS), not the publisher (S:58-59).',
      'The pre-cut clips cannot be rebuilt from public InternVid data (S:200).',
      "The zip's top folder is unknown; the root is found after extraction (S:66-70).",
    ],
  },
  activitynet: {
    kind: 'manual',
    page: 'https://drive.google.com/file/d/1Mb45IO7ArEjgdOg140mvSMOMNvIZOXml/view',
    steps: [
      'Open the Google Drive link for the Video-ChatGPT training videos.',
      'Download the file; its format and size are unknown.',
      'Import it: videos are v_<youtube id>.mp4 (some .mkv).',
    ],
    pick: null,
    expect: [],
    format: 'unknown',
    tree: null,
    researched: true,
    notes: [
      'Official site: http://activity-net.org/download.html (procedure unknown, S:212-214).',
      'A third-party copy, MBZUAI/VideoGPT-plus_Training_Dataset activitynet_videos.tgz (41.5 GB), has an unknown layout (S:215).',
    ],
  },
  nextqa: {
    kind: 'manual',
    page: 'https://drive.google.com/file/d/1jTcRCrVHS66ckOUfWRb-rXdzJ52XAWQH/view',
    steps: ['Open the Google Drive link of the NExT-QA README ("Raw videos for train/val/test").', 'Download the NExTVideo zip.', 'Import the zip.'],
    pick: 'NExTVideo zip',
    expect: [{ name: 'NExTVideo*.zip', parts: 1, size: null }],
    format: 'zip',
    tree: 'NExTVideo/<4-digit folder>/<video id>.mp4 (VidOR layout; the top folder is inferred)',
    researched: true,
    notes: ['Size and checksum unknown (S:304); some files do not play in some players: verify at the decode level (S:315).'],
  },
  clevrer: {
    kind: 'http',
    files: [{ parts: ['http://data.csail.mit.edu/clevrer/videos/train/video_train.zip'], format: 'zip', size: null, sha256: null, into: '' }],
    lists: [],
    notes: [
      'Size and checksums unknown (S:323); a third-party tgz is 12.4 GB (S:324).',
      'Videos sit in bucket folders video_train/video_00000-01000/…; refs are bare names, resolved by basename (S:327-329).',
    ],
  },
  egoqa: {
    kind: 'hf',
    repo: YNHE,
    repoType: 'dataset',
    revision: YNHE_REVISION,
    files: [{ parts: ['egoqa_split_videos.zip'], format: 'zip', size: exact(3_680_916_665), into: '' }],
    candidateSha256: { 'egoqa_split_videos.zip': '4341cfed79cfbe96f93ebd6fc2dff6219abea8a6df8d9e2b9c0800624a885831' },
    notes: [
      'The candidate sha256 is from a third-party copy of the same byte size, not the publisher (S:57-59).',
      '16 of 7,813 records miss their clip even with the zip (S:406).',
      "The zip's top folder is unknown; the root is found by resolving a known ref (S:66-70).",
    ],
  },
  tgif: {
    kind: 'manual',
    page: 'https://drive.google.com/a/vision.snu.ac.kr/file/d/11wdvsTYIPcSTRMVry1tufILiNE4aAMp5/view',
    steps: [
      'Open the Google Drive link of the TGIF-QA README and download the GIFs.',
      'If Drive refuses (quota), the README offers "split zip files" on Dropbox: https://www.dropbox.com/sh/jluwiizm55ugvoz/AABE6ttq5DrrB_5mRrGHaxuAa (whether they are byte-split or multi-volume is unknown).',
      'Import the zip: the media are <gif name>.gif.',
    ],
    pick: null,
    expect: [],
    format: 'zip',
    tree: null,
    researched: true,
    notes: [
      'Sizes, checksums and the extracted tree are unknown (S:383-389).',
      'The Tumblr URLs of TGIF-Release tgif-v1.0.tsv are an alternative of unknown liveness (S:381).',
    ],
  },
  sharegptvideo: notResearched('ShareGPTVideo', [
    'The media are said to be train_300k/chunk_*.tar.gz frame folders of ShareGPTVideo/train_video_and_instruction on the Hub; the file list, sizes and layout are unknown.',
  ]),
  oops: notResearched('Oops!'),
  ovis: notResearched('OVIS', ['Refs are frame folders.']),
  uvo: notResearched('UVO', ['Upstream roots: UVO/uvo_videos_sparse and UVO/uvo_videos_dense.']),
  favd: notResearched('FAVDBench'),
  didemo: notResearched('DiDeMo'),
} satisfies Record<string, Route>;
