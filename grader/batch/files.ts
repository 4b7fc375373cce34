// Where a student's outputs live inside a batch's --out folder (relative paths). Its own module so
// that the class summary (and `check`, which loads the report registry) does not load the batch runner.
export const studentFiles = (id: string) => ({ json: `students/${id}.json`, html: `students/${id}.html`, status: `students/${id}.status.json` });
