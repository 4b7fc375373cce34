// Moved: the one bounded, no-follow reader is grader/inputs/read.ts (the inputs module owns every
// file labgrade reads). Kept as an alias for code written against the old path; import from there.
export * from '../inputs/read.js';
