import { z } from 'zod';
import type { Route } from './schema';

/**
 * A mirror's base URL: http(s), no credentials, query or fragment; it may carry a path prefix
 * (http://10.0.0.5/data/coco). Stored without a trailing slash.
 */
export const MirrorBaseSchema = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && !url.search && !url.hash;
    } catch {
      return false;
    }
  }, 'must be an http(s) base URL without credentials, query or fragment, e.g. http://10.0.0.5/data/coco')
  .transform((value) => value.replace(/\/+$/, ''));

/**
 * The mirror rule, exactly: the route URL's `scheme://host[:port]` is replaced by the mirror's base URL (with its
 * path prefix); the URL's path and query are kept. http://images.cocodataset.org/zips/train2014.zip with mirror
 * http://10.0.0.5/data/coco → http://10.0.0.5/data/coco/zips/train2014.zip.
 */
export function mirroredUrl(url: string, base: string | null | undefined): string {
  if (!base) return url;
  const original = new URL(url);
  return `${base.replace(/\/+$/, '')}${original.pathname}${original.search}`;
}

/** Mirrors apply to plain HTTP routes; Hugging Face routes follow the endpoint setting, manual ones have no URL to fetch. */
export function routeTakesMirror(route: Route): boolean {
  return route.kind === 'http' || route.kind === 'per-file-http';
}
