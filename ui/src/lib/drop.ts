// Files out of a drop: folders are walked (Chromium and WebKit expose dropped
// folders as entries), so dragging a folder of scans imports all of it.

type Entry = FileSystemEntry;

function isFile(e: Entry): e is FileSystemFileEntry {
  return e.isFile;
}

function isDir(e: Entry): e is FileSystemDirectoryEntry {
  return e.isDirectory;
}

async function walk(entry: Entry, out: File[]): Promise<void> {
  if (isFile(entry)) {
    out.push(await new Promise<File>((resolve, reject) => entry.file(resolve, reject)));
  } else if (isDir(entry)) {
    const reader = entry.createReader();
    for (;;) {
      const batch = await new Promise<Entry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, out);
    }
  }
}

export async function filesOf(data: DataTransfer): Promise<File[]> {
  const entries = [...data.items]
    .map((item) => item.webkitGetAsEntry())
    .filter((e): e is Entry => e !== null);
  if (entries.length === 0) return [...data.files];
  const out: File[] = [];
  for (const e of entries) await walk(e, out);
  return out;
}
