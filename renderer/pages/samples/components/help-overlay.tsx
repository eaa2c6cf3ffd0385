import { useEffect, useRef } from 'react';

export const VIEWER_KEYS: ReadonlyArray<[string, string]> = [
  ['j / ↓', 'next sample'],
  ['k / ↑', 'previous sample'],
  ['PageDown / PageUp', 'a screen further / back'],
  ['Home / End', 'first / last sample'],
  ['space', 'play / pause'],
  ['[ / ]', 'go to the segment’s start / end'],
  [', / .', 'previous / next frame'],
  ['/', 'search the conversations'],
  ['r', 'shuffle (a new seed)'],
  ['o', 'reveal the file in its folder (desktop app)'],
  ['c', 'copy the file’s path'],
  ['?', 'this help'],
  ['Esc', 'close it; leave a text field'],
];

/** The viewer's keys, as a modal dialog ("?"). */
export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div className="overlay">
      <div className="overlay__dialog card" role="dialog" aria-modal="true" aria-labelledby="keys-title">
        <div className="row row--between">
          <h2 id="keys-title">Keys</h2>
          <button ref={close} type="button" className="button button--ghost" onClick={onClose}>
            Close
          </button>
        </div>
        <table className="table table--compact">
          <tbody>
            {VIEWER_KEYS.map(([key, what]) => (
              <tr key={key}>
                <th scope="row">
                  <kbd>{key}</kbd>
                </th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
