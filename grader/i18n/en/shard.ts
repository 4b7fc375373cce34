import type es from '../es/shard.js';

export default {
  optShard: 'grade only slice K of N of the roster (e.g. 2/5), for a CI job matrix; then run `labgrade batch merge`',
  badShard: '--shard: expected K/N with 1 <= K <= N <= 1000 (e.g. 2/5), not "{value}"',
  shardWrote: 'Slice {k}/{n}: {count} of {total, plural, one {# student} other {# students}}. Merge the slices with: labgrade batch merge --roster <roster.yaml> --out <dir> <slice folders...>',
  mergeDescription: 'build the class summary, class.json and the Moodle CSV from the folders of `batch --shard K/N` runs',
  argDirs: 'output folders of the slices (each has a shard.json)',
  optMergeOut: 'folder for the merged class outputs (the students\' reports are copied into it)',
  optMergeRoster: 'the same roster the slices were graded with',
  optMergePublic: 'class outputs readable by everyone (0644/0755), as with `batch --public-outputs`; default private (0600/0700)',
  noManifest: '{dir}: no shard.json; is this the --out folder of a `batch --shard K/N` run?',
  badManifest: '{dir}/shard.json: not a slice manifest written by labgrade ({detail})',
  mismatch: '{dir}: graded with a different {what} than {first} ({a} vs {b}); merge only slices of one run',
  rosterChanged: '{dir}: graded with another version of the roster (its hash differs from {roster}); grade again or pass the same roster',
  duplicateSlice: 'slice {k}/{n} given twice: {a} and {b}',
  missingSlices: 'of the {n} slices, these are missing: {missing}; their students stay "pending" in the summary',
  foreignStudent: '{dir}: student "{id}" does not belong to slice {k}/{n} of this roster; ignored',
  unreadable: '{dir}: the files of student "{id}" cannot be read ({detail}); the student stays "pending"',
  merged: 'Slices merged: {slices}. Students: {graded} graded, {incomplete} incomplete, {failed} failed, {pending} pending.',
} satisfies Record<keyof typeof es, string>;
