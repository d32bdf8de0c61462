// Test only: the package's pool worker with crypto.subtle.verify replaced first (subtle-patch.js).
import './subtle-patch.js';
import '/pkg/worker.js';
