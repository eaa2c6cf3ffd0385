import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../../transport/transport';
import { useJobsStore } from '../../jobs/store';
import { runWasmTask } from './run-wasm-task';

const POLL_MS = 1000;
const PROGRESS_EVERY_MS = 1000;

/**
 * The window's half of an ffmpeg.wasm clip cut (#14): while a clip job runs, it asks the engine for the next source
 * video to cut, cuts it here and sends the clips back; it lives beside the pages, so moving between them does not
 * stop a cut. Several windows share the work; a window closed mid-task has its task handed to the next.
 */
export function WasmCutter() {
  const running = useJobsStore((s) => Object.values(s.byId).some((j) => j.kind === 'clips.run' && j.state === 'running'));
  const [status, setStatus] = useState<string | null>(null);
  useEffect(() => {
    if (!running) return;
    let stopped = false;
    void (async () => {
      while (!stopped) {
        const task = await api.clips.wasmTask({}).catch(() => null);
        if (!task) {
          await new Promise((r) => setTimeout(r, POLL_MS));
          continue;
        }
        const clips = `${task.outputs.length} clip${task.outputs.length === 1 ? '' : 's'}`;
        setStatus(`ffmpeg.wasm is cutting ${clips} of ${task.video} in this window: keep it open`);
        let said = 0;
        const onFraction = (fraction: number) => {
          if (Date.now() - said < PROGRESS_EVERY_MS) return;
          said = Date.now();
          setStatus(`ffmpeg.wasm is cutting ${clips} of ${task.video} in this window (${Math.round(fraction * 100)} %): keep it open`);
          void api.clips.wasmProgress({ taskId: task.taskId, fraction }).catch(() => undefined);
        };
        try {
          await runWasmTask(task, onFraction);
        } catch (error) {
          // The engine hears why (the job lists the clips as failed with it) rather than waiting for the lease to end.
          await api.clips
            .wasmFinish({ taskId: task.taskId, exitCode: -1, log: `ffmpeg.wasm in the window failed: ${errorMessage(error)}`, sizes: {}, keyframes: null })
            .catch(() => undefined);
        }
        setStatus(null);
      }
    })();
    return () => {
      stopped = true;
      setStatus(null);
    };
  }, [running]);
  return status ? (
    <output className="wasm-cutter" data-testid="wasm-cutter">
      {status}
    </output>
  ) : null;
}
