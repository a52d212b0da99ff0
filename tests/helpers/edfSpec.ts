/**
 * The header and annotation rules of the EDF+ specification (Kemp & Olivan 2003, sections 2.1
 * and 2.2, https://www.edfplus.info/specs/edfplus.html) checked on a whole file, written out
 * here from the spec rather than through src/formats/edf, so a file the project writes is
 * judged by an independent reading of the rules. Returns the rules broken (empty: none).
 */
/* eslint-disable no-control-regex -- TALs are delimited by the control bytes \x00, \x14 and \x15 */
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** What `edfPlusViolations` learned, for further checks. */
export interface EdfSpecFacts {
  readonly ns: number;
  readonly dataRecords: number;
  readonly recordDurationSeconds: number;
  readonly labels: string[];
  readonly samplesPerRecord: number[];
  /** Every TAL's text after the time-keeping ones, with its onset. */
  readonly annotations: { onsetSeconds: number; text: string }[];
}

/** An 8-character number field: a number, at most 8 characters, left-justified. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

export function edfPlusViolations(file: Uint8Array): { violations: string[]; facts: EdfSpecFacts } {
  const v: string[] = [];
  const bdf = file[0] === 0xff;
  const family = bdf ? 'BDF' : 'EDF';
  const text = (from: number, width: number): string => String.fromCharCode(...file.subarray(from, from + width));
  const start = bdf ? 1 : 0;
  for (let i = start; i < Math.min(file.length, 256); i++) {
    const b = file[i] as number;
    if (b < 32 || b > 126) v.push(`header byte ${i} is 0x${b.toString(16)}, not printable ASCII`);
  }
  if (bdf ? text(1, 7) !== 'BIOSEMI' : text(0, 8) !== '0       ') v.push(`version is "${text(0, 8)}"`);
  const field = (from: number, width: number, name: string): string => {
    const value = text(from, width);
    if (value.trim() !== '' && value.startsWith(' ')) v.push(`${name} "${value}" is not left-justified`);
    return value.trimEnd();
  };
  const patient = field(8, 80, 'patient');
  const p = patient.split(' ');
  if (p.length < 4) v.push(`patient "${patient}" has fewer than 4 subfields`);
  else {
    if (!['M', 'F', 'X'].includes(p[1] as string)) v.push(`patient sex "${p[1]}" is not M, F or X`);
    if (p[2] !== 'X' && !/^\d\d-[A-Z]{3}-\d{4}$/.test(p[2] as string)) v.push(`patient birthdate "${p[2]}" is not dd-MMM-yyyy or X`);
  }
  const recording = field(88, 80, 'recording');
  const r = recording.split(' ');
  const startDate = field(168, 8, 'start date');
  const startTime = field(176, 8, 'start time');
  if (r[0] !== 'Startdate' || r.length < 5) v.push(`recording "${recording}" is not "Startdate date code investigator equipment"`);
  const dm = /^(\d\d)\.(\d\d)\.(\d\d)$/.exec(startDate);
  if (dm === null || Number(dm[1]) < 1 || Number(dm[1]) > 31 || Number(dm[2]) < 1 || Number(dm[2]) > 12) v.push(`start date "${startDate}" is not dd.mm.yy`);
  const tm = /^(\d\d)\.(\d\d)\.(\d\d)$/.exec(startTime);
  if (tm === null || Number(tm[1]) > 23 || Number(tm[2]) > 59 || Number(tm[3]) > 59) v.push(`start time "${startTime}" is not hh.mm.ss`);
  if (r[1] !== 'X' && dm !== null) {
    const m = /^(\d\d)-([A-Z]{3})-(\d{4})$/.exec(r[1] ?? '');
    if (m === null) v.push(`recording startdate "${r[1]}" is not dd-MMM-yyyy or X`);
    else if (m[1] !== dm[1] || MONTHS.indexOf(m[2] as string) + 1 !== Number(dm[2]) || (m[3] as string).slice(2) !== dm[3]) {
      v.push(`recording startdate "${r[1]}" disagrees with the start date "${startDate}"`);
    }
  }
  const number = (from: number, width: number, name: string): number => {
    const value = field(from, width, name);
    if (!NUMBER.test(value)) v.push(`${name} "${value}" is not a number`);
    return Number(value);
  };
  const headerBytes = number(184, 8, 'header bytes');
  const reserved = field(192, 44, 'reserved');
  if (!reserved.startsWith(`${family}+C`)) v.push(`reserved "${reserved}" does not start with ${family}+C`);
  const dataRecords = number(236, 8, 'number of data records');
  if (!Number.isInteger(dataRecords) || dataRecords < 0) v.push(`number of data records ${dataRecords} is not a count (-1 is for files still being written)`);
  const recordDurationSeconds = number(244, 8, 'data record duration');
  const ns = number(252, 4, 'number of signals');
  if (headerBytes !== 256 * (ns + 1)) v.push(`header bytes ${headerBytes} is not 256 × (ns + 1)`);
  for (let i = 256; i < Math.min(file.length, headerBytes); i++) {
    const b = file[i] as number;
    if (b < 32 || b > 126) v.push(`signal header byte ${i} is 0x${b.toString(16)}, not printable ASCII`);
  }
  const widths = [16, 80, 8, 8, 8, 8, 8, 80, 8, 32];
  const columns: string[][] = [];
  let at = 256;
  widths.forEach((width, k) => {
    const column: string[] = [];
    for (let s = 0; s < ns; s++, at += width) column.push(k >= 3 && k <= 6 || k === 8 ? String(number(at, width, `signal ${s + 1} field ${k}`)) : field(at, width, `signal ${s + 1} field ${k}`));
    columns.push(column);
  });
  const labels = columns[0] as string[];
  const annotationIndex = labels.indexOf(`${family} Annotations`);
  if (labels.filter((l) => l === `${family} Annotations`).length !== 1) v.push(`not exactly one "${family} Annotations" signal (labels ${labels.join(', ')})`);
  const samplesPerRecord = (columns[8] as string[]).map(Number);
  const bytesPerSample = bdf ? 3 : 2;
  for (let s = 0; s < ns; s++) {
    const [pmin, pmax, dmin, dmax] = [3, 4, 5, 6].map((k) => Number((columns[k] as string[])[s]));
    if (!((dmin as number) < (dmax as number))) v.push(`signal ${s + 1}: digital minimum ${dmin} is not below its maximum ${dmax}`);
    if (pmin === pmax) v.push(`signal ${s + 1}: physical minimum equals its maximum`);
    const limit = bdf ? 8388608 : 32768;
    if ((dmin as number) < -limit || (dmax as number) > limit - 1) v.push(`signal ${s + 1}: digital range ${dmin}..${dmax} exceeds ${bytesPerSample * 8} bits`);
    if (s !== annotationIndex && (columns[2] as string[])[s] === '') v.push(`signal ${s + 1}: no physical dimension`);
  }
  const recordBytes = samplesPerRecord.reduce((a, b) => a + b, 0) * bytesPerSample;
  if (file.length !== headerBytes + dataRecords * recordBytes) v.push(`file is ${file.length} bytes, header says ${headerBytes} + ${dataRecords} × ${recordBytes}`);
  const annotations: { onsetSeconds: number; text: string }[] = [];
  if (annotationIndex >= 0) {
    let offset = 0;
    for (let s = 0; s < annotationIndex; s++) offset += (samplesPerRecord[s] as number) * bytesPerSample;
    const width = (samplesPerRecord[annotationIndex] as number) * bytesPerSample;
    for (let rec = 0; rec < dataRecords && v.length < 20; rec++) {
      const from = headerBytes + rec * recordBytes + offset;
      const tals = new TextDecoder().decode(file.subarray(from, from + width)).replace(/\x00+$/, '');
      const list = tals.split('\x00');
      const keeping = /^([+-]\d+(\.\d+)?)\x14\x14$/.exec(list[0] ?? '');
      if (keeping === null) v.push(`data record ${rec + 1}: no time-keeping TAL first (got "${JSON.stringify(list[0])}")`);
      else if (Math.abs(Number(keeping[1]) - rec * recordDurationSeconds) > 1e-9) v.push(`data record ${rec + 1}: time-keeping TAL ${keeping[1]} is not its start ${rec * recordDurationSeconds} (EDF+C)`);
      for (const tal of list.slice(1)) {
        const m = /^([+-]\d+(\.\d+)?)(\x15\d+(\.\d+)?)?\x14(.*)\x14$/s.exec(tal);
        if (m === null) {
          v.push(`data record ${rec + 1}: TAL ${JSON.stringify(tal)} is malformed`);
          continue;
        }
        for (const t of (m[5] as string).split('\x14')) annotations.push({ onsetSeconds: Number(m[1]), text: t });
      }
    }
  }
  return { violations: v, facts: { ns, dataRecords, recordDurationSeconds, labels, samplesPerRecord, annotations } };
}
