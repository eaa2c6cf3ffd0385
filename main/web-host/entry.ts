import { serveMain } from './cli';
import { WebHostError } from './server';

serveMain(process.argv.slice(2)).catch((error: unknown) => {
  const message =
    error instanceof WebHostError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
      ? (error as Error).message
      : String((error as Error).stack ?? error);
  console.error(`vc2 web host: ${message}`);
  process.exit(2);
});
