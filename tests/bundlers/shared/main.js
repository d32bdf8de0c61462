// A browser app's entry: runs the checks and publishes the report for the test driver.
import { run } from './app.js';

run().then((report) => {
  window.__report = report;
  document.title = report.ok ? 'done' : 'failed';
  document.body.textContent = JSON.stringify(report);
});
