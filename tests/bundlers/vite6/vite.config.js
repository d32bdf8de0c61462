// What the README's bundler section tells Vite users: keep credcore out of the dev server's
// dependency pre-bundling (which moves the package's files away from its worker and wasm).
export default {
  optimizeDeps: { exclude: ['credcore'] },
};
