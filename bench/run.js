// iamsim benchmark: iamsim and the peer @cloud-copilot/iam-simulate on the same inputs, in one run, side by side.
// Machines are noisy: compare the ratios, not the absolute figures. Exits 1 when the engines disagree on any
// request both accept (the requests are printed).
// Usage: npm run bench [-- --quick]   (installs the benchmark-only peer in bench/ first)
import { libraryRows } from './library.js';
import { benchBatch } from './batch.js';
import { printTable } from './lib.js';

const disagreements = [];
printTable('Library: decisions per second (same requests, same run)', '/s', await libraryRows(disagreements));
// Command line: JSON Lines batches of two generators against JSON.parse, and start-up (bench/batch.js).
await benchBatch(disagreements);
// Reasoning: the Access Analyzer-style checks on the seeds' policies (bench/reason.js).
{
  const { benchReason } = await import('./reason.js');
  await benchReason({ quick: process.argv.includes('--quick') });
  // Every AWS managed policy against itself, and random pairs (bench/reason-managed.js, issue 17).
  const { benchReasonManaged } = await import('./reason-managed.js');
  await benchReasonManaged({ quick: process.argv.includes('--quick') });
}
// Infrastructure as code: iamsim diff on a 200-resource plan (bench/iac.js).
{
  const { benchIac } = await import('./iac.js');
  await benchIac({ quick: process.argv.includes('--quick') });
}
// The web console on real accounts (bench/console.js): its goals are asserted here, never in tests.
{
  const { benchConsole } = await import('./console.js');
  if (!(await benchConsole())) {
    console.error('\nThe console missed a goal (see the table above).');
    process.exitCode = 1;
  }
}
if (disagreements.length > 0) {
  console.error(`\nThe engines disagree on ${disagreements.length} request(s):`);
  for (const d of disagreements.slice(0, 50)) console.error(JSON.stringify(d));
  process.exitCode = 1;
} else console.log('\nThe engines agree on every request both accept.');
