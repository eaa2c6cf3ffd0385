import { describe, expect, it } from 'vitest';
import { MirrorBaseSchema, mirroredUrl } from './mirror-url';

describe('mirroredUrl (the mirror rule of issue 11)', () => {
  it("replaces scheme://host[:port] with the mirror's base, path prefix included, and keeps path and query", () => {
    expect(mirroredUrl('http://images.cocodataset.org/zips/train2014.zip', 'http://10.0.0.5/data/coco')).toBe('http://10.0.0.5/data/coco/zips/train2014.zip');
    expect(mirroredUrl('https://s3.amazonaws.com:443/kinetics/400/train/k400_train_path.txt?x=1', 'https://mirror.lab:8443')).toBe(
      'https://mirror.lab:8443/kinetics/400/train/k400_train_path.txt?x=1',
    );
    expect(mirroredUrl('http://data.csail.mit.edu/clevrer/videos/train/video_train.zip', 'http://10.0.0.5/m/')).toBe(
      'http://10.0.0.5/m/clevrer/videos/train/video_train.zip',
    );
  });

  it('leaves the URL alone without a mirror', () => {
    expect(mirroredUrl('http://images.cocodataset.org/zips/train2014.zip', null)).toBe('http://images.cocodataset.org/zips/train2014.zip');
  });

  it('accepts only http(s) bases without credentials, query or fragment, stored without a trailing slash', () => {
    expect(MirrorBaseSchema.parse(' http://10.0.0.5/data/coco/ ')).toBe('http://10.0.0.5/data/coco');
    for (const bad of ['ftp://x/y', 'http://user:pw@x/', 'http://x/?a=1', 'http://x/#f', 'not a url', '']) {
      expect(MirrorBaseSchema.safeParse(bad).success).toBe(false);
    }
  });
});
