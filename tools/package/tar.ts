// A minimal reproducible ustar writer: regular files only, mode 0644, uid/gid 0, mtime 0,
// no user/group names — so the same files always give the same bytes.
const BLOCK = 512;

export interface TarFile {
  /** at most 100 bytes (no prefix field needed for our names) */
  name: string;
  data: Uint8Array;
}

function header(file: TarFile): Buffer {
  const h = Buffer.alloc(BLOCK);
  const put = (offset: number, length: number, text: string) => {
    if (Buffer.byteLength(text) > length) throw new Error(`tar: ${JSON.stringify(text)} does not fit in ${length} bytes`);
    h.write(text, offset, length, "utf8");
  };
  const octal = (offset: number, length: number, n: number) => put(offset, length, n.toString(8).padStart(length - 1, "0") + "\0");
  put(0, 100, file.name);
  octal(100, 8, 0o644);
  octal(108, 8, 0); // uid
  octal(116, 8, 0); // gid
  octal(124, 12, file.data.length);
  octal(136, 12, 0); // mtime
  put(156, 1, "0"); // regular file
  put(257, 6, "ustar\0");
  put(263, 2, "00");
  // The checksum is computed with its own field read as eight spaces.
  h.fill(" ", 148, 156);
  const sum = h.reduce((a, b) => a + b, 0);
  put(148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return h;
}

export function tar(files: TarFile[]): Buffer {
  const parts: Uint8Array[] = [];
  for (const f of files) {
    parts.push(header(f), f.data, Buffer.alloc((BLOCK - (f.data.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(2 * BLOCK)); // end-of-archive marker
  return Buffer.concat(parts);
}
