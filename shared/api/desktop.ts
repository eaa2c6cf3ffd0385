import { z } from 'zod';
import type { ApiResult } from './errors';

/**
 * What only the desktop shell can do for the renderer, beside the engine's contract: the system's own file picker
 * (the web host has none: there the user types a path). Validated in main like every engine call.
 */
export const PickPathsArgsSchema = z.strictObject({
  /** An archive (or a table, a part of a split archive) or a folder: Linux and Windows pickers do one or the other. */
  kind: z.enum(['file', 'folder']),
  title: z.string().min(1).max(200),
  multiple: z.boolean().default(false),
  filters: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(100),
        extensions: z
          .array(z.string().regex(/^(\*|[A-Za-z0-9]{1,16})$/))
          .min(1)
          .max(32),
      }),
    )
    .max(8)
    .default([]),
});
export type PickPathsArgs = z.input<typeof PickPathsArgsSchema>;

/** A media ref to show in the system's file manager: located by the engine as the player's are, never a raw path. */
export const RevealArgsSchema = z.strictObject({
  sourceId: z
    .string()
    .max(64)
    .regex(/^[a-z][a-z0-9_]*$/),
  ref: z.string().min(1).max(4096),
  subdir: z.string().max(200).default(''),
});
export type RevealArgs = z.input<typeof RevealArgsSchema>;

/** The desktop bridge (preload): null when the picker was closed without a choice. */
export interface DesktopBridge {
  pickPaths(args: PickPathsArgs): Promise<ApiResult<string[] | null>>;
  /** Shows the media's file in the system's file manager; its path, or the engine's refusal. */
  reveal?(args: RevealArgs): Promise<ApiResult<string>>;
}
