// over 400 lines: catalog data, one entry per media source with its facts; splitting it would only scatter the contract.
import { routes } from './routes';
import type { Source } from './schema';

/** The media sources VideoChat2-IT subsets read from, one per source id of research/subset-sources.md, with facts from research/sources.md. */
export const sources: readonly Source[] = [
  {
    id: 'coco',
    name: 'COCO 2014 images',
    homepage: 'https://cocodataset.org/',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'image',
    acquire: {
      route: routes.coco,
      hints: [
        'Images come as http://images.cocodataset.org/zips/train2014.zip (13.5 GB) and val2014.zip (6.65 GB), plain HTTP, no login; checksums unknown.',
        'Refs are inferred to be train2014/COCO_train2014_<12 digits>.jpg under the coco_caption root.',
        'caption_coco is inferred to be M3IT COCO captioning (Karpathy split); whether any of its refs point into val2014/ is unknown.',
      ],
    },
  },
  {
    id: 'minigpt4',
    name: 'MiniGPT-4 cc_sbu_align',
    homepage: 'https://github.com/Vision-CAIR/MiniGPT-4',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'image',
    acquire: {
      route: routes.minigpt4,
      hints: [
        'Images come in cc_sbu_align.zip from the Google Drive link of the MiniGPT-4 second-stage README; Drive may demand a confirm step or hit a quota.',
        'The zip extracts to cc_sbu_align/filter_cap.json and cc_sbu_align/image/<n>.jpg; refs are inferred to be bare <n>.jpg.',
        'Zip size unknown; the HF re-upload dongdong2021/cc_sbu_align holds 3,439 images, 29.2 MB.',
        'The Hub copy Vision-CAIR/cc_sbu_align may be incomplete ("Upload 100 files"; unverified).',
      ],
    },
  },
  {
    id: 'm3it',
    name: 'M3IT (images)',
    homepage: 'https://huggingface.co/datasets/MMInstruction/M3IT',
    licence: 'The Hub lists MMInstruction/M3IT under licence "other"; the terms of the underlying image datasets are not stated in the research.',
    modality: 'image',
    acquire: {
      route: routes.m3it,
      hints: [
        'Images are base64 strings in the image_base64_str list of JSONL records under data/<category>/<task>/ on the Hub, not image files.',
        'Refs such as train/39065.jpg are the enumeration index of the datasets-loaded train split, not original names; per-task exceptions are unknown.',
        'train.jsonl is the file used, not the rephrased train_2023-10-07.jsonl (CLEVR 12 GB).',
        'Known sizes: textcap 6.15 GB, clevr 5.97 GB, visual_mrc 4.24 GB, vqav2 1.99 GB, paragraph captioning 735 MB, okvqa 624 MB; the rest unknown.',
        'Upstream folders are config names (vqa-v2, visual-mrc, coco-itm) that differ from the repo folders (vqav2, visual_mrc, itm).',
      ],
    },
  },
  {
    id: 'infovqa',
    name: 'InfographicVQA',
    homepage: 'https://rrc.cvc.uab.es/?ch=17',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'image',
    acquire: {
      route: routes.infovqa,
      hints: [
        'Not researched; a maintainer says the HD sources "can be directly downloaded from their official repos" (Ask-Anything #203).',
        'Upstream root is ocr_data/InfoVQA/infographicVQA_train_v1.0_images.',
      ],
    },
  },
  {
    id: 'ai2d',
    name: 'AI2D',
    homepage: 'https://prior.allenai.org/projects/diagram-understanding',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'image',
    acquire: {
      route: routes.ai2d,
      hints: [
        'Not researched; a maintainer says the HD sources "can be directly downloaded from their official repos" (Ask-Anything #203).',
        'Upstream root is ai2diagram/ai2d/images.',
      ],
    },
  },
  {
    id: 'chartqa',
    name: 'ChartQA',
    homepage: 'https://github.com/vis-nlp/ChartQA',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'image',
    acquire: {
      route: routes.chartqa,
      hints: [
        'Not researched; a maintainer says the HD sources "can be directly downloaded from their official repos" (Ask-Anything #203).',
        'Upstream root is "chartqa/ChartQA Dataset/train/png", a path with a space in it.',
        'Refs are bare PNG names such as two_col_103562.png (observed).',
      ],
    },
  },
  {
    id: 'dvqa',
    name: 'DVQA',
    homepage: 'https://github.com/kushalkafle/DVQA_dataset',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'image',
    acquire: {
      route: routes.dvqa,
      hints: [
        'Not researched; a maintainer says the HD sources "can be directly downloaded from their official repos" (Ask-Anything #203).',
        'Upstream root is DVQA/images; the subset file is train_80k.json.',
      ],
    },
  },
  {
    id: 'llava_image_tune',
    name: 'Video-LLaVA llava_image_tune (COCO, Visual Genome)',
    homepage: 'https://github.com/PKU-YuanGroup/Video-LLaVA',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'image',
    acquire: {
      route: routes.llava_image_tune,
      hints: [
        'Not researched; a maintainer says the HD sources "can be directly downloaded from their official repos" (Ask-Anything #203).',
        'Upstream root is videollava/llava_image_tune, with subfolder coco for grounding_coco and vg (Visual Genome) for grounding_vg.',
      ],
    },
  },
  {
    id: 'lvis_instruct4v',
    name: 'LVIS-Instruct4V',
    homepage: 'https://github.com/X2FD/LVIS-INSTRUCT4V',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'image',
    acquire: {
      route: routes.lvis_instruct4v,
      hints: [
        'Not researched; a maintainer says the HD sources "can be directly downloaded from their official repos" (Ask-Anything #203).',
        'Upstream root is the bare data path, so refs carry their own folder prefix; the ref form is unknown.',
      ],
    },
  },
  {
    id: 'sharegpt4v',
    name: 'ShareGPT4V',
    homepage: 'https://sharegpt4v.github.io/',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'image',
    acquire: {
      route: routes.sharegpt4v,
      hints: [
        'Not researched; a maintainer says the HD sources "can be directly downloaded from their official repos" (Ask-Anything #203).',
        'Upstream root is sharegpt4v/data; the subset file is train_420k.json.',
      ],
    },
  },
  {
    id: 'textvr',
    name: 'TextVR',
    homepage: 'https://github.com/callsys/TextVR',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'video',
    acquire: {
      route: routes.textvr,
      hints: [
        'Resized videos plus annotations are a 5.4 GB Google Drive zip; originals (85 GB) are on Drive or Baidu; which one OpenGVLab used is unknown.',
        'The README tree shows TextVR/Videos/, but the TextVR loader and the upstream root use the singular Video/.',
        'Refs are inferred to be <Category>/<name>.mp4 (Activity, Driving, Sports, Cooking, …); the README spells one folder "Activaty".',
        'All 39,648 records resolved in a third-party check; checksums unknown.',
      ],
    },
  },
  {
    id: 'webvid',
    name: 'WebVid-10M',
    homepage: 'https://github.com/m-bain/webvid',
    licence: 'Licence not stated in the research; WebVid withdrew its video URLs on 23 Feb 2024 after a cease-and-desist; check the terms before use.',
    modality: 'video',
    acquire: {
      route: routes.webvid,
      hints: [
        'Official hosting is gone: "As of 23 Feb 2024, we cannot even provide the urls anymore" (WebVid README); the metadata CSVs were withdrawn.',
        'contentUrl, page_dir and videoid are in HF TempoFunk/webvid-10M data/{train,val}/partitions/*.csv; each clip is a plain HTTP GET of an mp4.',
        'Refs are <page_dir>/<videoid>.mp4, e.g. 000001_000050/1066682446.mp4; roots WebVid2M and WebVid10M share this layout.',
        'About 0.05–0.07% of clips were unrecoverable in a third-party download (399,740 of 400,000 for caption_webvid).',
        'DATA.md calls the VideoChat subsets InternVid-based, but their refs are WebVid videos.',
      ],
    },
  },
  {
    id: 'youcook2',
    name: 'YouCook2 (pre-cut clips)',
    homepage: 'http://youcook2.eecs.umich.edu/',
    licence: 'Raw videos are released "for non-commercial, research purposes only"; the Hub lists the pre-cut clip repo ynhe/videochat2_data as MIT.',
    modality: 'video',
    acquire: {
      route: routes.youcook2,
      hints: [
        'Pre-cut clips are youcook_split_videos.zip.partaa (32.2 GB) and .partab (27.8 GB) on ynhe/videochat2_data: byte halves of one ~60 GB Zip64 archive.',
        'The original Aliyun OSS links are dead (AccessDenied 2024-08, NoSuchBucket 2024-10); the zip top-level folder is unknown.',
        'Refs are <subset>/<recipe_type>/<ytid>/split_<k>.mp4, k indexing the annotation whose segment is [start s, end s] (pattern from third-party code).',
        'Raw videos are on the official YouCook2 download page; many YouTube originals have disappeared.',
      ],
    },
  },
  {
    id: 'smit',
    name: 'Spoken Moments in Time (S-MiT)',
    homepage: 'http://moments.csail.mit.edu/spoken.html',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'video',
    acquire: {
      route: routes.smit,
      hints: [
        'Route, request form, archive format, size and ref naming are unknown; only the paper abstract was found.',
        'Used only by the _new and _hd mixes; upstream root is S-MiT.',
      ],
    },
  },
  {
    id: 'kinetics',
    name: 'Kinetics-710 (K400/K600/K700)',
    homepage: 'https://github.com/cvdfoundation/kinetics-dataset',
    licence: 'Licence not stated in the research; a VideoChat2 maintainer said sharing Kinetics videos directly "may be illegal"; check the terms.',
    modality: 'video',
    acquire: {
      route: routes.kinetics,
      hints: [
        'CVDF serves K400, K600 and K700-2020 as tar.gz parts on public S3 (436 GB, 727 GB, 867 GB); no per-file checksums are published.',
        'CVDF files are named <ytid>_<start:06d>_<end:06d>.mp4, while K400 refs carry only the 11-character YouTube id (k400/<ytid>.mp4).',
        'K600/K700 refs are internal p2:s3:// paths with underscored class folders; CVDF tarball names contain spaces.',
        'About 1,023 of the 40,000 k710 records were unrecoverable in a third-party copy.',
        'Upstream root is empty, so refs are used verbatim; the caption_vidln_kinetics ref form is unknown.',
      ],
    },
  },
  {
    id: 'ssv2',
    name: 'Something-Something V2',
    homepage: 'https://developer.qualcomm.com/software/ai-datasets/something-something',
    licence: 'Download requires a Qualcomm account and accepting its licence; the licence terms are not stated in the research.',
    modality: 'video',
    acquire: {
      route: routes.ssv2,
      hints: [
        'Comes as 20 parts that must be concatenated in order before extracting (cat 20bn-something-something-v2-?? | tar zx); the old 20bn.com site is dead.',
        'One user could extract only the first folder of the Qualcomm download with that command, so its packaging may differ.',
        'Files are <numeric id>.webm in 20bn-something-something-v2/; refs of that form are inferred; codec not verified.',
        'All 40,000 records resolved in a third-party check; total size and checksums unknown.',
      ],
    },
  },
  {
    id: 'internvid',
    name: 'VideoChat2 conversation videos (InternVid-based)',
    homepage: 'https://huggingface.co/datasets/ynhe/videochat2_data',
    licence: 'The Hub lists ynhe/videochat2_data as MIT; the terms of the underlying InternVid videos are not stated in the research.',
    modality: 'video',
    acquire: {
      route: routes.internvid,
      hints: [
        'Clips come as videochat2_conversation_videos.zip, 17,195,160,452 bytes, on ynhe/videochat2_data; the Aliyun OSS copy is dead.',
        'Refs are <ytid>_<start seconds>.mp4 (e.g. LLP1dosmfIw_683.24.mp4) and do not map to official InternVid clip names, which carry an end time.',
        'The zip top-level folder is unknown; third-party users chose different roots.',
        'A third-party re-upload of the zip has SHA256 a45197647a08a12eeff9f903cebaed524fe697e85780aaebdb773edd66d9add4 (a candidate, not the publisher hash).',
      ],
    },
  },
  {
    id: 'activitynet',
    name: 'ActivityNet (Video-ChatGPT)',
    homepage: 'http://activity-net.org/download.html',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'video',
    acquire: {
      route: routes.activitynet,
      hints: [
        'Video-ChatGPT lists the 13,303 needed ids (v_<ytid>) in docs/train_video_ids.txt and links Google Drive and OneDrive copies.',
        'Refs end in .mp4 but some videos exist only as .mkv.',
        'Upstream root ANet_320p_fps30 is an internal 320p/30 fps re-encode that is not public.',
        'A third-party copy, MBZUAI/VideoGPT-plus_Training_Dataset activitynet_videos.tgz, is 41.5 GB; its layout is unknown.',
      ],
    },
  },
  {
    id: 'nextqa',
    name: 'NExT-QA',
    homepage: 'https://github.com/doc-doc/NExT-QA',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'video',
    acquire: {
      route: routes.nextqa,
      hints: [
        'Raw videos come as the NExTVideo zip on Google Drive (link in the NExT-QA README); the old MissingVideo link is dead.',
        'map_vid_vidorID.json maps each video id to <4-digit folder>/<video id>; refs of the form <folder>/<video id>.mp4 are inferred.',
        'Some NExTVideo files do not play in some players.',
        'Zip size and checksum unknown; a third-party NExTQA.tgz is 24.6 GB.',
      ],
    },
  },
  {
    id: 'clevrer',
    name: 'CLEVRER',
    homepage: 'http://clevrer.csail.mit.edu/',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'video',
    acquire: {
      route: routes.clevrer,
      hints: [
        'Videos come as http://data.csail.mit.edu/clevrer/videos/train/video_train.zip, plain HTTP with no login; size and checksums unknown.',
        'The zip nests videos in ten bucket folders video_00000-01000/ … video_09000-10000/, but refs are bare names such as video_05028.mp4.',
        'CLEVR_v1.0.zip (still images) was once linked by mistake in Ask-Anything #176; it is not CLEVRER.',
      ],
    },
  },
  {
    id: 'egoqa',
    name: 'EgoQA (Ego4D clips)',
    homepage: 'https://huggingface.co/datasets/ynhe/videochat2_data',
    licence: 'The clips derive from Ego4D, which requires a signed licence; the Hub lists ynhe/videochat2_data as MIT.',
    modality: 'video',
    acquire: {
      route: routes.egoqa,
      hints: [
        'Clips come as egoqa_split_videos.zip, 3,680,916,665 bytes, on ynhe/videochat2_data; the Aliyun OSS copy is dead.',
        'Refs are <ego4d video_uid>/split_<k>.mp4, k being the order of appearance in the maintainers JSON, so re-cut clips risk index mismatch.',
        '16 of the 7,813 records were missing even with the zip in a third-party check.',
        'A third-party re-upload has SHA256 4341cfed79cfbe96f93ebd6fc2dff6219abea8a6df8d9e2b9c0800624a885831 at the same byte size (a candidate hash).',
      ],
    },
  },
  {
    id: 'tgif',
    name: 'TGIF-QA',
    homepage: 'https://github.com/YunseokJANG/tgif-qa',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'video',
    acquire: {
      route: routes.tgif,
      hints: [
        'GIFs come from a Google Drive file or Dropbox split zips named in the TGIF-QA dataset README; TGIF-Release only lists Tumblr URLs.',
        'Refs are inferred to be <gif_name>.gif, e.g. tumblr_nqc2mbmU2J1uxhtnwo1_400.gif.',
        'The upstream loader reads GIFs only when the media root path contains "tgif".',
        'Sizes and checksums unknown.',
      ],
    },
  },
  {
    id: 'sharegptvideo',
    name: 'ShareGPTVideo frames',
    homepage: 'https://huggingface.co/datasets/ShareGPTVideo/train_video_and_instruction',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'video',
    acquire: {
      route: routes.sharegptvideo,
      hints: [
        'Refs are extension-less frame-folder names such as v_OiL6Aj0gC14-Scene-006 under LLaVA_DPO/train_300k.',
        'The frames come as ShareGPTVideo train_300k/chunk_*.tar.gz archives.',
        'The public upstream loader does not implement the "img" frame-directory reader these subsets are configured with.',
      ],
    },
  },
  {
    id: 'oops',
    name: 'Oops! (VidLN)',
    homepage: 'https://oops.cs.columbia.edu/',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'video',
    acquire: {
      route: routes.oops,
      hints: [
        'Not researched; a maintainer says the HD sources "can be directly downloaded from their official repos" (Ask-Anything #203).',
        'Upstream root is oops/oops_video/train; the ref form is unknown.',
      ],
    },
  },
  {
    id: 'ovis',
    name: 'OVIS (VidLN)',
    homepage: 'https://songbai.site/ovis/',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'video',
    acquire: {
      route: routes.ovis,
      hints: [
        'Not researched; a maintainer says the HD sources "can be directly downloaded from their official repos" (Ask-Anything #203).',
        'Upstream root is ovis/train, and the subset is configured as frame directories ("img" reader).',
      ],
    },
  },
  {
    id: 'uvo',
    name: 'UVO (VidLN)',
    homepage: 'https://sites.google.com/view/unidentified-video-object',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'video',
    acquire: {
      route: routes.uvo,
      hints: [
        'Not researched; a maintainer says the HD sources "can be directly downloaded from their official repos" (Ask-Anything #203).',
        'Upstream roots are UVO/uvo_videos_sparse and UVO/uvo_videos_dense, one per subset.',
      ],
    },
  },
  {
    id: 'favd',
    name: 'FAVD (FAVDBench)',
    homepage: 'https://github.com/OpenNLPLab/FAVDBench',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'video',
    acquire: {
      route: routes.favd,
      hints: [
        'Not researched; a maintainer says the HD sources "can be directly downloaded from their official repos" (Ask-Anything #203).',
        'Upstream root is favd; the ref form is unknown.',
      ],
    },
  },
  {
    id: 'didemo',
    name: 'DiDeMo',
    homepage: 'https://github.com/LisaAnne/LocalizingMoments',
    licence: "Licence not stated in the research; check the dataset's terms before use.",
    modality: 'video',
    acquire: {
      route: routes.didemo,
      hints: [
        'Not researched; a maintainer says the HD sources "can be directly downloaded from their official repos" (Ask-Anything #203).',
        'Upstream root is DiDeMo; the ref form is unknown.',
      ],
    },
  },
];
