// Runs a `kalaja` command in this process and prints its peak resident memory at the end, so
// the benchmark can read the memory of the command itself, not of the benchmark.
import { main } from '../apps/server/dist/cli/main.js';

let out = '';
const code = await main(process.argv.slice(2), {
  stdout: (t) => void (out += t.length),
  stderr: (t) => process.stderr.write(t),
});
process.stdout.write(`bytes=${out} maxRSS=${process.resourceUsage().maxRSS}\n`);
process.exitCode = code;
