import { useState } from 'react';
import type { PickPathsArgs } from '../../../../shared/api/desktop';
import { errorMessage, hasPicker, pickPaths } from '../../../transport/transport';

/**
 * The system's file picker for a path field (desktop app only; the web host shows nothing and the path is typed):
 * one button for a file, one for a folder (Linux and Windows pickers do one or the other).
 */
export function PathPicker({
  fileLabel,
  titleFor,
  filters,
  onPick,
}: {
  fileLabel: string;
  titleFor: (kind: 'file' | 'folder') => string;
  filters: NonNullable<PickPathsArgs['filters']>;
  onPick: (path: string) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  if (!hasPicker()) return null;
  const choose = async (kind: 'file' | 'folder') => {
    setError(null);
    try {
      const chosen = await pickPaths({ kind, title: titleFor(kind), filters });
      if (chosen?.[0]) onPick(chosen[0]);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <>
      <div className="row">
        <button type="button" className="button" onClick={() => void choose('file')}>
          {fileLabel}
        </button>
        <button type="button" className="button" onClick={() => void choose('folder')}>
          Choose folder…
        </button>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
