// Worker entry: a worker thread starts without the parent's TypeScript loader, so register
// tsx here (as bin/recio.js does) before loading the TypeScript body.
import { register } from 'tsx/esm/api';

register();
await import('./synthetic-model-worker.ts');
