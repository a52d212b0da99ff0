// Starts a worker thread whose module is TypeScript (edgespike run from src/ through tsx):
// registers tsx's loader in the worker, then imports the module named in workerData.module.
import { workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
await import(workerData.module);
