// Runs a timing example built for wasm32-wasip1 under node:wasi, so that its figures are those
// of the 32-bit arithmetic the package's wasm runs:
//   rustup target add wasm32-wasip1
//   cargo build --release --target wasm32-wasip1 --example forgery_sweep
//   node examples/run-wasi.mjs target/wasm32-wasip1/release/examples/forgery_sweep.wasm calibrate
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node examples/run-wasi.mjs FILE.wasm [args...]');
  process.exit(2);
}
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: process.env });
const instance = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(file)), wasi.getImportObject());
wasi.start(instance);
