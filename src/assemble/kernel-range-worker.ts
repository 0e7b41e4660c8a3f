// A worker thread of a parallel kernel-log read: scans ranges, leaving out the needles' false alarms as a serial
// read does (kernel-log-reader.ts, kernelLineMayMatter).
import { serveRangeScans } from '../read/range-serve.js';
import { kernelLineMayMatter } from './kernel-log-reader.js';

serveRangeScans(kernelLineMayMatter);
