/** A small RFC 4180 reader for the export suites: quoted fields, doubled quotes, CRLF or LF, a BOM. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Counts CSV records in a stream of chunks without keeping them: a record ends at a line break
 * outside quotes. For the memory suite, where the client must not hold the file either.
 */
export function csvRecordCounter() {
  let quoted = false;
  let records = 0;
  let bytes = 0;
  return {
    push(chunk: Uint8Array) {
      bytes += chunk.length;
      for (let i = 0; i < chunk.length; i += 1) {
        const b = chunk[i];
        if (b === 0x22) quoted = !quoted;
        else if (b === 0x0a && !quoted) records += 1;
      }
    },
    get records() {
      return records;
    },
    get bytes() {
      return bytes;
    },
  };
}
