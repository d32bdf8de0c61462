// Runs every benchmark in one process, so that peers are measured in the same run.
// Run: make bench

const started = Date.now();
console.log(`# credcore benchmarks (${new Date().toISOString()}, node ${process.version}, medians)`);
for (const name of ['signatures', 'forgeries', 'credentials', 'algorithms', 'audit', 'sdjwt', 'cache', 'lifecycle', 'pool']) {
  const mod = await import(`./${name}.mjs`);
  await mod.run();
}
console.log(`\n(total ${((Date.now() - started) / 1000).toFixed(0)} s)`);
// anon-identity's batch API leaves a 30 s timer per presentation behind.
process.exit(0);
