// A Node app's entry: runs the checks and prints the report as one JSON line.
import { run } from './app.js';

run().then((report) => {
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exitCode = report.ok ? 0 : 1;
});
