// Moodle's folder names, read and written (learned from Moodle's mod/assign):
// - "Download all submissions" names each participant's folder `<full name>_<participant id>_
//   assignsubmission_file` (Moodle >= 4.1; `..._file_` before), underscores in the full name turned
//   into spaces; without folders the files are `<full name>_<id>_assignsubmission_file_<file>`.
//   With blind marking the full name is "Participant".
// - "Upload multiple feedback files in a zip" (assignfeedback_file) finds the participant in the
//   first path part of the form `<anything>_<participant id>_<plugin type>_<plugin name>[_...]`:
//   so `<full name>_<id>_assignfeedback_file/report.html` gives that participant report.html.

export interface MoodleName {
  fullName: string;
  participant: string;
  /** What follows the plugin part (the file name in a flat download). */
  rest: string;
}

/** Reads a Moodle submission folder (or flat file) name; null when it is not one. */
export function parseMoodleName(part: string): MoodleName | null {
  const info = part.split('_');
  if (info.length < 4) return null;
  // Full names have no underscores (Moodle turns them into spaces), so the fields are positional.
  const [fullName, participant, subtype, type, ...rest] = info;
  if (!fullName || !/^\d{1,12}$/.test(participant ?? '') || subtype !== 'assignsubmission' || type !== 'file') return null;
  return { fullName, participant: participant!, rest: rest.join('_') };
}

/** The feedback folder Moodle's importer maps to this participant. */
export function feedbackFolder(fullName: string, participant: string): string {
  const name = fullName.replace(/[_/\\\0]/g, ' ').replace(/\s+/g, ' ').trim() || 'Participant';
  return `${name}_${participant}_assignfeedback_file`;
}

/** A name compared without case, accents or extra spaces. */
export function nameKey(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}
