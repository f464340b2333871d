/**
 * `pnpm backtest --from … --to … [--symbols …] [--source sim|csv:<dir>|json:<file>|db]`: the same
 * strategy over historical data, in process. See packages/backtest/README.md.
 */
import { runCli } from '@catalyst/backtest';

// Piped into `head`: a closed stdout ends the run quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: process.stderr,
  env: process.env,
});
