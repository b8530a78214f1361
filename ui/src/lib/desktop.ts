// What the desktop app adds (Tauri commands); in a browser these are absent
// and the screens offer only what a browser can do.

import { invoke, isTauri } from '@tauri-apps/api/core';
import { getCurrentWebview } from '@tauri-apps/api/webview';

export const isDesktop = (): boolean => isTauri();

/** The native folder picker; null when cancelled or in a browser. */
export async function pickFolder(): Promise<string | null> {
  if (!isDesktop()) return null;
  return (await invoke<string | null>('pick_folder')) ?? null;
}

/** Leaves kiosk mode (the app quits) when the PIN is right. */
export async function leaveKiosk(pin: string): Promise<boolean> {
  if (!isDesktop()) return false;
  return invoke<boolean>('leave_kiosk', { pin });
}

/**
 * Files and folders dropped on the desktop window. The window handles drops
 * itself (the page gets no drop event), and gives their paths on this
 * computer, which the API imports directly. Returns the unsubscribe function.
 */
export async function onDroppedPaths(handle: (paths: string[]) => void): Promise<() => void> {
  if (!isDesktop()) return () => undefined;
  return getCurrentWebview().onDragDropEvent((event) => {
    if (event.payload.type === 'drop' && event.payload.paths.length > 0) handle(event.payload.paths);
  });
}

/**
 * Saves what a download link points at into the Downloads folder (the
 * window itself saves nothing for the app's own scheme); gives the path.
 */
export async function saveDownload(url: string, name: string, lang: string): Promise<string> {
  return invoke<string>('save_download', { url, name, lang });
}
