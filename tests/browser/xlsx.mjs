// Reads an XLSX the way a test needs to: the zip's entries (central
// directory, deflate) and a worksheet's rows of inline or shared strings.
import { inflateRawSync } from 'node:zlib';

export function unzip(buf) {
  const files = {};
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const method = buf.readUInt16LE(p + 10), size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28), extra = buf.readUInt16LE(p + 30), comment = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files[name] = method === 8 ? inflateRawSync(data) : Buffer.from(data);
    p += 46 + nameLen + extra + comment;
  }
  return files;
}

const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

// The XML of worksheet n (1 = the first).
export const sheetXml = (buf, n = 1) => unzip(buf)[`xl/worksheets/sheet${n}.xml`].toString('utf8');

// The workbook's sheet names, in order.
export const sheetNames = (buf) => [...unzip(buf)['xl/workbook.xml'].toString('utf8')
  .matchAll(/<sheet name="([^"]*)"/g)].map((m) => unescape(m[1]));

// The rows of worksheet n (1 = the first), each an array of cell texts by column.
export function sheetRows(buf, n = 1) {
  const files = unzip(buf);
  const shared = [];
  if (files['xl/sharedStrings.xml'])
    for (const m of files['xl/sharedStrings.xml'].toString('utf8').matchAll(/<si>(.*?)<\/si>/gs))
      shared.push(unescape([...m[1].matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map((t) => t[1]).join('')));
  const xml = files[`xl/worksheets/sheet${n}.xml`].toString('utf8');
  const rows = [];
  for (const r of xml.matchAll(/<row[^>]*>(.*?)<\/row>/gs)) {
    const row = [];
    for (const c of r[1].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
      const col = [...c[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
      const body = c[3] || '';
      let v = '';
      if (/t="inlineStr"/.test(c[2])) v = unescape((/<t[^>]*>(.*?)<\/t>/s.exec(body) || [])[1] || '');
      else if (/t="s"/.test(c[2])) v = shared[Number((/<v>(.*?)<\/v>/.exec(body) || [])[1])];
      else v = (/<v>(.*?)<\/v>/.exec(body) || [])[1] || '';
      row[col] = v;
    }
    rows.push(row);
  }
  return rows;
}
