/** Saves a blob the server made (a PDF) under `name`, as a link would. */
export function saveBlob(blob: Blob, name: string): string {
  const link = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = link;
  a.download = name;
  a.click();
  // The caller may keep the link to offer it again; otherwise it goes with the page.
  return link;
}
