import { useEffect, useState } from 'react';
import type { WasmTask } from '../../../../shared/api/clip-models';
import { api, errorMessage } from '../../../transport/transport';
import { useJobsStore } from '../../jobs/store';
import { runWasmTask, stopWasm } from './run-wasm-task';

const POLL_MS = 1000;
/** The window tells the engine it is still at work this often, whatever ffmpeg is doing (fetching, probing). */
const HEARTBEAT_MS = 15_000;
const SAY_EVERY_MS = 1000;

/** The one loop of this window: a cut stopped and started again waits for the task in hand to end. */
let loop: Promise<void> = Promise.resolve();

/**
 * The window's half of an ffmpeg.wasm clip cut (#14): while a clip job runs, it asks the engine for the next task
 * (a few clips of one source video), cuts it here and sends the clips back; it lives beside the pages, so moving
 * between them does not stop a cut. Several windows share the work; a window closed mid-task has its task handed to
 * the next. When the job stops (or the engine says the task is no longer this window's), ffmpeg.wasm is stopped.
 */
export function WasmCutter() {
  const running = useJobsStore((s) => Object.values(s.byId).some((j) => j.kind === 'clips.run' && j.state === 'running'));
  const [status, setStatus] = useState<string | null>(null);
  useEffect(() => {
    if (!running) return;
    let stopped = false;
    const cutOne = async (task: WasmTask) => {
      const clips = `${task.outputs.length} clip${task.outputs.length === 1 ? '' : 's'}`;
      setStatus(`ffmpeg.wasm is cutting ${clips} of ${task.video} in this window: keep it open`);
      let fraction = 0;
      let said = 0;
      const beat = async () => {
        const mine = await api.clips.wasmProgress({ taskId: task.taskId, fraction }).catch(() => true);
        if (!mine) stopWasm();
      };
      const heartbeat = setInterval(() => void beat(), HEARTBEAT_MS);
      const onTime = (seconds: number) => {
        fraction = Math.min(1, seconds / Math.max(0.001, task.longestSpan));
        if (Date.now() - said < SAY_EVERY_MS) return;
        said = Date.now();
        setStatus(`ffmpeg.wasm is cutting ${clips} of ${task.video} in this window (${Math.round(fraction * 100)} %): keep it open`);
        void beat();
      };
      try {
        await runWasmTask(task, onTime);
      } catch (error) {
        // The engine hears why (the clips fail with it) rather than waiting for the task's lease to end.
        await api.clips
          .wasmFinish({
            taskId: task.taskId,
            exitCode: -1,
            log: '',
            sizes: {},
            keyframes: null,
            error: `ffmpeg.wasm in the window failed: ${errorMessage(error)}`,
          })
          .catch(() => undefined);
      } finally {
        clearInterval(heartbeat);
      }
    };
    loop = loop.then(async () => {
      while (!stopped) {
        const task = await api.clips.wasmTask({}).catch(() => null);
        if (task && !stopped) await cutOne(task);
        else await new Promise((r) => setTimeout(r, POLL_MS));
      }
      setStatus(null);
    });
    return () => {
      stopped = true;
      // The job ended or stopped: whatever ffmpeg.wasm still does is for nothing.
      stopWasm();
      setStatus(null);
    };
  }, [running]);
  return status ? (
    <output className="wasm-cutter" data-testid="wasm-cutter">
      {status}
    </output>
  ) : null;
}
